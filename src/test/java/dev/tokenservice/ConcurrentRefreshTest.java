package dev.tokenservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The same refresh token sent by many clients at once, over real sockets (one connection each): exactly one
 * request gets new tokens, every other one {@code invalid_grant}.
 */
class ConcurrentRefreshTest {
    private static final int THREADS = 12;
    private static final int ROUNDS = 40;

    @Test
    void exactlyOneOfManyParallelRefreshesWithTheSameTokenSucceeds() throws Exception {
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of()).server())) {
            String base = "http://localhost:" + running.server().port();
            List<Http1Client> clients = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                clients.add(TestApp.newClient(base));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    String refreshToken = login(running.client());
                    // warm every connection first, so that the refreshes race on the server, not on connecting
                    clients.forEach(ConcurrentRefreshTest::warm);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Status>> results = new ArrayList<>();
                    for (Http1Client client : clients) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return refresh(client, refreshToken);
                        }));
                    }
                    start.countDown();
                    int ok = 0;
                    for (Future<Status> result : results) {
                        Status status = result.get();
                        if (status == Status.OK_200) {
                            ok++;
                        } else {
                            assertThat(status, is(Status.BAD_REQUEST_400));
                        }
                    }
                    assertThat("round " + round, ok, is(1));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String login(Http1Client client) {
        try (Http1ClientResponse res = client.post("/token").contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=alice-password")) {
            return res.as(JsonObject.class).getString("refresh_token");
        }
    }

    private static Status refresh(Http1Client client, String refreshToken) {
        try (Http1ClientResponse res = client.post("/token").contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=refresh_token&refresh_token=" + refreshToken)) {
            if (res.status() != Status.OK_200) {
                assertThat(res.as(JsonObject.class).getString("error"), is("invalid_grant"));
            }
            return res.status();
        }
    }

    private static void warm(Http1Client client) {
        try (Http1ClientResponse res = client.get("/observe/health/live").request()) {
            res.status();
        }
    }
}
