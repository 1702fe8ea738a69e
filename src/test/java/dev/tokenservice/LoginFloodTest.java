package dev.tokenservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenservice.protection.BcryptBulkhead;
import dev.tokenservice.users.PasswordHasher;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * With every place of the bcrypt bulkhead taken by slow logins, a further login (or client authentication, as for
 * the client credentials grant) is answered 503 at once, and the protected API keeps answering fast: bcrypt runs off the carrier threads that every request shares.
 */
class LoginFloodTest {
    /** Half a second or more per check: the bulkhead stays full while the test looks. */
    private static final int SLOW_COST = 13;

    @Test
    void fullBulkheadAnswers503WhileTheApiStaysFast() throws Exception {
        String slowHash = new PasswordHasher(SLOW_COST).hash("alice-password");
        // as many checks at once as there are carrier threads: on virtual threads they would hold them all
        int limit = Runtime.getRuntime().availableProcessors();
        TestApp.Instance instance = TestApp.create(Map.of("app.users.0.password-hash", slowHash,
                                                          "app.password.bulkhead.limit", String.valueOf(limit),
                                                          "app.password.bulkhead.queue-length", "1",
                                                          // this test is about the length
                                                          "app.password.bulkhead.max-queue-wait", "PT1M"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String token = TestApp.token(running.client(), "bob", "bob-password");
            BcryptBulkhead bulkhead = instance.server().bcryptBulkhead();
            double refusedBefore = TestApp.metric(TestApp.metrics(running.client()), "password_checks_refused_total");

            // slow logins run, one waits: the bulkhead is full
            AtomicInteger accepted = new AtomicInteger();
            List<Thread> slowLogins = new ArrayList<>();
            for (int i = 0; i < limit + 1; i++) {
                slowLogins.add(Thread.ofVirtual().start(() -> {
                    Http1Client own = TestApp.newClient(running.client().prototype().baseUri().get()
                                                                   .toString());
                    try (Http1ClientResponse res = TestApp.postForm(
                            own, "/token", "grant_type=password&username=alice&password=alice-password")) {
                        if (res.status() == Status.OK_200) {
                            accepted.incrementAndGet();
                        }
                    }
                }));
                for (int wait = 0; wait < 1000 && bulkhead.inFlight() <= i; wait++) {
                    Thread.sleep(5);
                }
            }
            assertThat(bulkhead.inFlight(), is(limit + 1L));

            long start = System.nanoTime();
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token",
                                                            "grant_type=password&username=bob&password=bob-password")) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(res.status(), is(Status.SERVICE_UNAVAILABLE_503));
                assertThat("503 answered in " + millis + " ms", millis, lessThan(500L));
                assertThat(res.headers().get(HeaderNames.RETRY_AFTER).get(), is("1"));
                assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
                JsonObject body = res.as(JsonObject.class);
                assertThat(body.getString("error"), is("temporarily_unavailable"));
                assertThat(body.getString("error_description").isEmpty(), is(false));
            }

            // a client's own token needs a secret check too (client credentials grant): refused alike, at once
            String batchJob = "Basic " + java.util.Base64.getEncoder().encodeToString("test-batch:service-secret"
                                                                                              .getBytes());
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token",
                                                            "grant_type=client_credentials", "Authorization",
                                                            batchJob)) {
                assertThat(res.status(), is(Status.SERVICE_UNAVAILABLE_503));
                assertThat(res.headers().get(HeaderNames.RETRY_AFTER).get(), is("1"));
                assertThat(res.as(JsonObject.class).getString("error"), is("temporarily_unavailable"));
            }

            long[] millis = new long[21];
            for (int i = 0; i < millis.length; i++) {
                long begin = System.nanoTime();
                assertThat(TestApp.usersMe(running.client(), token), is(200));
                millis[i] = (System.nanoTime() - begin) / 1_000_000;
            }
            // the API was asked while the bulkhead was still full
            assertThat(bulkhead.inFlight(), is(limit + 1L));
            java.util.Arrays.sort(millis);
            // bcrypt holding the carriers would make each request wait for a check to end (half a second or more)
            assertThat("median /users/me " + millis[10] + " ms", millis[10], lessThan(150L));
            assertThat(TestApp.metric(TestApp.metrics(running.client()), "password_checks_refused_total"),
                       is(refusedBefore + 2));

            for (Thread login : slowLogins) {
                login.join();
            }
            assertThat("queued logins are served, not dropped", accepted.get(), is(limit + 1));
        }
    }
}
