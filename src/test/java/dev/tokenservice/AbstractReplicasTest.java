package dev.tokenservice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.webclient.http1.Http1Client;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.tokenservice.Eventually.eventually;
import static dev.tokenservice.Replicas.introspect;
import static dev.tokenservice.Replicas.login;
import static dev.tokenservice.Replicas.logout;
import static dev.tokenservice.Replicas.refresh;
import static dev.tokenservice.Replicas.revoke;
import static dev.tokenservice.Replicas.usersMe;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Instances of the service on one PostgreSQL database, as replicas behind one Service: a session started on one
 * works, ends and is refused on every other (issue 8, sections 2 to 4). Run with two and with three instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractReplicasTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final int n;
    private Map<String, String> database;
    private Path keyFile;
    private Replicas replicas;

    AbstractReplicasTest(int instances) {
        this.n = instances;
    }

    @BeforeAll
    void start() {
        database = TestDatabase.newDatabase();
        keyFile = TestApp.newKeyFile();
        replicas = Replicas.start(database, keyFile, n);
    }

    @AfterAll
    void stop() {
        replicas.close();
    }

    @Test
    void failedLoginsOnAnyInstancesMakeTheUsernameWaitOnEveryInstance() {
        Map<String, String> guarded = new java.util.HashMap<>(database);
        guarded.put("app.login-protection.enabled", "true");
        // a long first wait: the test never races the end of it
        guarded.put("app.login-protection.initial-delay", "PT1M");
        try (Replicas protectedReplicas = Replicas.start(guarded, keyFile, n)) {
            for (int i = 0; i < 5; i++) {
                assertThat(Replicas.answerOf(protectedReplicas.client(i % n),
                                             "grant_type=password&username=dave&password=wrong-" + i).status(),
                           is(400));
            }
            for (int i = 0; i < n; i++) {
                Replicas.Answer answer = Replicas.answerOf(protectedReplicas.client(i),
                                                           "grant_type=password&username=dave&password=dave-password");
                assertThat("instance " + i, answer.status(), is(429));
                assertThat("instance " + i, answer.retryAfter(), is("60"));
            }
        }
    }

    @Test
    void aRefreshTokenIssuedByOneInstanceRefreshesOnEveryOther() {
        JsonObject session = login(replicas.client(0), "alice");
        String token = session.getString("refresh_token");
        for (int i = 1; i <= n; i++) {
            Replicas.Answer answer = refresh(replicas.client(i % n), token);
            assertThat(answer.body(), answer.status(), is(200));
            token = answer.json().getString("refresh_token");
            assertThat(usersMe(replicas.client((i + 1) % n), answer.json().getString("access_token")), is(200));
        }
    }

    @Test
    void reuseOfARotatedTokenOnAnyInstanceRevokesTheSessionEverywhere() {
        JsonObject session = login(replicas.client(0), "alice");
        String first = session.getString("refresh_token");
        Replicas.Answer rotated = refresh(replicas.client(1), first);
        assertThat(rotated.status(), is(200));
        String newest = rotated.json().getString("refresh_token");
        String access = rotated.json().getString("access_token");
        assertThat(usersMe(replicas.client(0), access), is(200));

        Replicas.Answer reuse = refresh(replicas.client(n - 1), first);
        assertThat(reuse.status(), is(400));
        assertThat(reuse.json().getString("error_description"),
                   is("The refresh token was used before: its session is revoked"));
        for (int i = 0; i < n; i++) {
            assertThat(refresh(replicas.client(i), newest).status(), is(400));
            int instance = i;
            // every instance refuses the session's access tokens within a second, without asking the database
            eventually(ONE_SECOND, () -> usersMe(replicas.client(instance), access), is(401));
        }
    }

    @Test
    void ofManyConcurrentRefreshesOfOneTokenOverTheInstancesExactlyOneSucceeds() throws Exception {
        List<Http1Client> clients = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clients.add(TestApp.newClient(base(replicas.client(i % n))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            for (int round = 0; round < 25; round++) {
                String token = login(replicas.client(round % n), "dave").getString("refresh_token");
                clients.forEach(client -> usersMe(client, "warm-up"));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Replicas.Answer>> answers = new ArrayList<>();
                for (Http1Client client : clients) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return refresh(client, token);
                    }));
                }
                go.countDown();
                int ok = 0;
                for (Future<Replicas.Answer> answer : answers) {
                    Replicas.Answer a = answer.get();
                    if (a.status() == 200) {
                        ok++;
                    } else {
                        assertThat(a.body(), a.status(), is(400));
                        assertThat(a.json().getString("error"), is("invalid_grant"));
                    }
                }
                assertThat("round " + round, ok, is(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logoutOnOneInstanceEndsEverySessionOnEveryInstance() {
        JsonObject laptop = login(replicas.client(0), "alice");
        JsonObject phone = login(replicas.client(1), "alice");
        String access = phone.getString("access_token");

        assertThat(logout(replicas.client(n - 1), laptop.getString("access_token")).status(), is(204));
        for (int i = 0; i < n; i++) {
            assertThat(refresh(replicas.client(i), laptop.getString("refresh_token")).status(), is(400));
            assertThat(refresh(replicas.client(i), phone.getString("refresh_token")).status(), is(400));
            int instance = i;
            eventually(ONE_SECOND, () -> usersMe(replicas.client(instance), access), is(401));
            eventually(ONE_SECOND, () -> usersMe(replicas.client(instance), laptop.getString("access_token")),
                       is(401));
        }
    }

    @Test
    void revokeOnOneInstanceReachesAllAndIntrospectionOnAnyAnswersInactive() {
        JsonObject session = login(replicas.client(0), "dave");
        String access = session.getString("access_token");
        assertThat(introspect(replicas.client(n - 1), access).json().getBoolean("active"), is(true));

        assertThat(revoke(replicas.client(1), access).status(), is(200));
        for (int i = 0; i < n; i++) {
            int instance = i;
            eventually(ONE_SECOND, () -> usersMe(replicas.client(instance), access), is(401));
            Replicas.Answer answer = introspect(replicas.client(i), access);
            assertThat(answer.body(), is("{\"active\":false}"));
        }
        // a refresh token revoked on one instance is dead on the others
        assertThat(revoke(replicas.client(n - 1), session.getString("refresh_token")).status(), is(200));
        assertThat(refresh(replicas.client(0), session.getString("refresh_token")).status(), is(400));
    }

    @Test
    void everyInstanceRefusesAnAccessTokenRevokedOnAnotherWithinOneSecond() {
        List<Long> delays = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            Http1Client revoker = replicas.client(round % n);
            Http1Client other = replicas.client((round + 1) % n);
            String access = login(revoker, "dave").getString("access_token");
            assertThat(usersMe(other, access), is(200));
            long start = System.nanoTime();
            assertThat(revoke(revoker, access).status(), is(200));
            eventually(ONE_SECOND, () -> usersMe(other, access), is(401));
            delays.add(System.nanoTime() - start);
        }
        delays.sort(Long::compare);
        System.out.printf("revocation propagation over 20 revocations, %d instances: median %.1f ms, max %.1f ms%n",
                          n, delays.get(delays.size() / 2) / 1e6, delays.getLast() / 1e6);
        assertThat(delays.getLast(), lessThan(ONE_SECOND.toNanos()));
    }

    @Test
    void afterEveryInstanceRestartsRefreshTokensWorkAndRevokedTokensStayRevoked() {
        JsonObject live = login(replicas.client(0), "alice");
        JsonObject revokedSession = login(replicas.client(n - 1), "dave");
        assertThat(revoke(replicas.client(n - 1), revokedSession.getString("access_token")).status(), is(200));

        replicas.close();
        replicas = Replicas.start(database, keyFile, n);
        for (int i = 0; i < n; i++) {
            assertThat(usersMe(replicas.client(i), revokedSession.getString("access_token")), is(401));
            assertThat(usersMe(replicas.client(i), live.getString("access_token")), is(200));
        }
        Replicas.Answer refreshed = refresh(replicas.client(n - 1), live.getString("refresh_token"));
        assertThat(refreshed.body(), refreshed.status(), is(200));
        assertThat(refresh(replicas.client(0), revokedSession.getString("refresh_token")).status(), is(200));
    }

    private static String base(Http1Client client) {
        try (var res = client.get("/observe/health/live").request()) {
            return res.lastEndpointUri().scheme() + "://" + res.lastEndpointUri().host() + ":"
                    + res.lastEndpointUri().port();
        }
    }
}
