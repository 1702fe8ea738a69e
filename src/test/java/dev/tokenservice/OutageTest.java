package dev.tokenservice;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.webclient.http1.Http1Client;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static dev.tokenservice.Replicas.introspect;
import static dev.tokenservice.Replicas.login;
import static dev.tokenservice.Replicas.logout;
import static dev.tokenservice.Replicas.refresh;
import static dev.tokenservice.Replicas.revoke;
import static dev.tokenservice.Replicas.usersMe;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The database stopped and started again while two instances serve traffic (issue 8, section 4): protected
 * routes keep answering from memory, the routes that need the database answer 503 with {@code Retry-After} and
 * {@code temporarily_unavailable} (never a 500), and once it is back everything works without a restart, with
 * nothing lost: sessions from before still refresh, no rotation is half-done, and a revocation made during the
 * outage reaches the other instance.
 */
class OutageTest {
    @Test
    void theDatabaseStoppedAndStartedUnderTraffic() throws Exception {
        Map<String, String> config = new HashMap<>(TestDatabase.newDatabase());
        // a request waits this long for a connection before its 503
        config.put("app.store.connection-timeout", "PT0.5S");
        try (Replicas replicas = Replicas.start(config, TestApp.newKeyFile(), 2)) {
            Http1Client a = replicas.client(0);
            Http1Client b = replicas.client(1);
            JsonObject reader = login(a, "alice");
            JsonObject chain = login(b, "dave");
            JsonObject revokedInOutage = login(a, "dave");
            JsonObject loggingOut = login(b, "bob");
            String readerToken = reader.getString("access_token");

            AtomicBoolean running = new AtomicBoolean(true);
            List<String> wrong = new CopyOnWriteArrayList<>();
            // how often each route answered each status, such as "refresh 503"
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            AtomicReference<String> chainToken = new AtomicReference<>(chain.getString("refresh_token"));
            ExecutorService traffic = Executors.newFixedThreadPool(3);
            List<Future<?>> workers = List.of(
                    // protected routes on both instances: always 200, from memory
                    traffic.submit(() -> {
                        List<Http1Client> clients = List.of(replicas.newClient(0), replicas.newClient(1));
                        while (running.get()) {
                            for (Http1Client client : clients) {
                                int status = usersMe(client, readerToken);
                                answers.merge("users/me " + status, 1, Integer::sum);
                                if (status != 200) {
                                    wrong.add("GET /users/me answered " + status);
                                }
                            }
                        }
                    }),
                    // a client refreshing its session in turn on both instances: 200, or a clean 503
                    traffic.submit(() -> {
                        List<Http1Client> clients = List.of(replicas.newClient(0), replicas.newClient(1));
                        int i = 0;
                        while (running.get()) {
                            Replicas.Answer answer = refresh(clients.get(i++ % 2), chainToken.get());
                            answers.merge("refresh " + answer.status(), 1, Integer::sum);
                            if (answer.status() == 200) {
                                chainToken.set(answer.json().getString("refresh_token"));
                            } else {
                                checkUnavailable("refresh", answer, wrong);
                            }
                        }
                    }),
                    // introspection on both: an active token is vouched for only while the store is heard
                    traffic.submit(() -> {
                        List<Http1Client> clients = List.of(replicas.newClient(0), replicas.newClient(1));
                        while (running.get()) {
                            for (Http1Client client : clients) {
                                Replicas.Answer answer = introspect(client, readerToken);
                                answers.merge("introspect " + answer.status(), 1, Integer::sum);
                                if (answer.status() == 200) {
                                    if (!answer.json().getBoolean("active")) {
                                        wrong.add("introspection said inactive");
                                    }
                                } else {
                                    checkUnavailable("introspect", answer, wrong);
                                }
                            }
                        }
                    }));

            // the traffic flows while the database is up
            awaitMore(answers, Map.of(), 1, "users/me 200", "refresh 200", "introspect 200");
            TestDatabase.stop();
            try {
                // both instances notice: the store is reported disconnected, refreshes and introspection answer a
                // clean 503 (checked by the workers)
                eventually(() -> {
                    for (Http1Client client : List.of(a, b)) {
                        assertThat(Replicas.get(client, "/observe/health/ready").body(),
                                   containsString("\"storeConnected\":false"));
                    }
                });
                awaitMore(answers, Map.of(), 1, "refresh 503", "introspect 503");
                Map<String, Integer> noticed = Map.copyOf(answers);
                // the routes that need the database: 503, Retry-After, the RFC 6749 error shape
                checkUnavailable("login", Replicas.answerOf(a, "grant_type=password&username=bob"
                        + "&password=bob-password"), wrong);
                checkUnavailable("logout", logout(b, loggingOut.getString("access_token")), wrong);
                // a revocation during the outage: refused at once where it was made...
                String access = revokedInOutage.getString("access_token");
                checkUnavailable("revoke", revoke(a, access), wrong);
                assertThat(usersMe(a, access), is(401));
                // ...and not yet where the database has not told
                assertThat(usersMe(b, access), is(200));
                checkUnavailable("revoke refresh token", revoke(b, chain.getString("refresh_token")), wrong);
                Replicas.Answer ready = Replicas.get(b, "/observe/health/ready");
                assertThat(ready.body(), ready.status(), is(200));
                assertThat(ready.body().contains("\"storeConnected\":false"), is(true));
                // the traffic went on through the outage, and still does
                awaitMore(answers, noticed, 1, "users/me 200", "refresh 503", "introspect 503");
            } finally {
                TestDatabase.restart();
            }

            // back without a restart: each instance reaches the database again on its own (an unknown refresh token
            // is a 400 from the store, not a 503)...
            eventually(Duration.ofSeconds(15), () -> {
                assertThat(refresh(a, "unknown-token").status(), is(400));
                assertThat(refresh(b, "unknown-token").status(), is(400));
            });
            // ...and the traffic goes on there: the session refreshed all along refreshes again and the token is
            // vouched for again, on both instances (two more of each: the workers take the instances in turn)
            awaitMore(answers, Map.copyOf(answers), 2, "users/me 200", "refresh 200", "introspect 200");
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
            traffic.shutdown();
            assertThat(wrong, is(empty()));

            Replicas.Answer next = refresh(b, chainToken.get());
            assertThat(next.body(), next.status(), is(200));
            assertThat(refresh(a, reader.getString("refresh_token")).status(), is(200));
            // the revocation made during the outage reaches the other instance once the database is back
            String access = revokedInOutage.getString("access_token");
            eventually(() -> usersMe(b, access), is(401));
            assertThat(login(b, "bob").containsKey("access_token"), is(true));
            // the logout that answered 503 revoked its own access token here, and there once the store was back
            assertThat(usersMe(b, loggingOut.getString("access_token")), is(401));
            eventually(() -> usersMe(a, loggingOut.getString("access_token")), is(401));
            assertThat(Replicas.get(a, "/observe/health/ready").body().contains("\"storeConnected\":true"),
                       is(true));
        }
    }

    /** Waits until the traffic has had each of these answers at least {@code more} times since a snapshot. */
    private static void awaitMore(Map<String, Integer> answers, Map<String, Integer> since, int more,
                                  String... kinds) {
        eventually(() -> {
            for (String kind : kinds) {
                assertThat(kind + " in " + answers, answers.getOrDefault(kind, 0),
                           greaterThanOrEqualTo(since.getOrDefault(kind, 0) + more));
            }
        });
    }

    private static void checkUnavailable(String what, Replicas.Answer answer, List<String> wrong) {
        if (answer.status() != 503 || !"2".equals(answer.retryAfter())
                || !answer.body().contains("\"error\":\"temporarily_unavailable\"")) {
            wrong.add(what + " answered " + answer.status() + " Retry-After " + answer.retryAfter() + " "
                              + answer.body());
        }
    }
}
