package dev.tokenservice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Brute-force throttling over HTTP (RFC 6749 §4.3.2), with a clock the test moves: a username, a client id or a
 * client address that failed too often waits, every attempt meanwhile is refused with 429 and no bcrypt work, and
 * the waits do not tell existing usernames from unknown ones.
 */
class LoginThrottlingTest {
    private static final String ALICE_RIGHT = "grant_type=password&username=alice&password=alice-password";

    private final TestClock clock = new TestClock();

    @Test
    void usernameWaitsAfterFiveFailuresAndSuccessResetsIt() {
        try (TestApp.Running running = start(Map.of())) {
            for (int i = 0; i < 5; i++) {
                assertStatus(login(running, "alice", "wrong-" + i), Status.BAD_REQUEST_400);
            }
            double checksBefore = metric(running, "password_checks_seconds_count\\{");
            double throttledBefore = metric(running, "login_throttled_total\\{reason=\"username\"");
            // the right password during the wait is refused too, at once and without a bcrypt check
            JsonObject refused = assertThrottled(post(running, "/token", ALICE_RIGHT), "invalid_grant", 1);
            assertThat(refused.getString("error_description"), containsString("try again in 1 s"));
            assertThat(metric(running, "password_checks_seconds_count\\{"), is(checksBefore));
            assertThat(metric(running, "login_throttled_total\\{reason=\"username\""), is(throttledBefore + 1));

            clock.advance(Duration.ofSeconds(1));
            assertStatus(login(running, "alice", "wrong-again"), Status.BAD_REQUEST_400);
            // the sixth failure doubles the wait
            assertThrottled(post(running, "/token", ALICE_RIGHT), "invalid_grant", 2);
            clock.advance(Duration.ofSeconds(2));
            assertStatus(post(running, "/token", ALICE_RIGHT), Status.OK_200);
            // the success reset the count: a wrong password is an ordinary failure again
            assertStatus(login(running, "alice", "wrong"), Status.BAD_REQUEST_400);
            assertStatus(post(running, "/token", ALICE_RIGHT), Status.OK_200);
            assertThat(metrics(running), not(containsString("alice")));
        }
    }

    @Test
    void existingAndUnknownUsernamesBehaveAlike() {
        try (TestApp.Running running = start(Map.of())) {
            List<String> existing = attempts(running, "dave");
            List<String> unknown = attempts(running, "nobody-at-all");
            assertThat(unknown, is(existing));
            assertThat(existing.getLast(), containsString("429"));
        }
    }

    @Test
    void passwordSprayFromOneAddressIsStopped() {
        try (TestApp.Running running = start(Map.of())) {
            for (int i = 0; i < 20; i++) {
                assertStatus(login(running, "user-" + i, "Summer2026!"), Status.BAD_REQUEST_400);
            }
            double before = metric(running, "login_throttled_total\\{reason=\"address\"");
            assertThrottled(login(running, "bob", "bob-password"), "invalid_grant", 1);
            assertThat(metric(running, "login_throttled_total\\{reason=\"address\""), is(before + 1));
        }
    }

    @Test
    void clientAuthenticationFailuresAreThrottledPerClientId() {
        try (TestApp.Running running = start(Map.of())) {
            for (String clientId : List.of("test-rs", "no-such-client")) {
                for (int i = 0; i < 5; i++) {
                    assertStatus(introspect(running, clientId, "wrong-" + i), Status.UNAUTHORIZED_401);
                }
                double before = metric(running, "login_throttled_total\\{reason=\"client\"");
                assertThrottled(introspect(running, clientId, "rs-secret"), "invalid_client", 1);
                assertThat(metric(running, "login_throttled_total\\{reason=\"client\""), is(before + 1));
            }
            clock.advance(Duration.ofSeconds(1));
            assertStatus(introspect(running, "test-rs", "rs-secret"), Status.OK_200);
        }
    }

    @Test
    void clientCredentialsGrantIsThrottledLikeEveryClientAuthentication() {
        try (TestApp.Running running = start(Map.of())) {
            for (int i = 0; i < 5; i++) {
                assertStatus(clientToken(running, "test-batch", "wrong-" + i), Status.UNAUTHORIZED_401);
            }
            double checksBefore = metric(running, "password_checks_seconds_count\\{");
            double before = metric(running, "login_throttled_total\\{reason=\"client\"");
            // the right secret during the wait is refused too, at once and without a bcrypt check
            assertThrottled(clientToken(running, "test-batch", "service-secret"), "invalid_client", 1);
            assertThat(metric(running, "password_checks_seconds_count\\{"), is(checksBefore));
            assertThat(metric(running, "login_throttled_total\\{reason=\"client\""), is(before + 1));
            clock.advance(Duration.ofSeconds(1));
            assertStatus(clientToken(running, "test-batch", "service-secret"), Status.OK_200);
        }
    }

    @Test
    void trustedProxyNamesTheClientAddress() {
        try (TestApp.Running running = start(Map.of("app.login-protection.trusted-proxies.0", "127.0.0.1",
                                                    "app.login-protection.trusted-proxies.1", "::1"))) {
            for (int i = 0; i < 20; i++) {
                assertStatus(post(running, "/token", "grant_type=password&username=user-" + i + "&password=x",
                                  "X-Forwarded-For", "203.0.113.9, 198.51.100.7"), Status.BAD_REQUEST_400);
            }
            assertThrottled(post(running, "/token", ALICE_RIGHT, "X-Forwarded-For", "198.51.100.7"),
                            "invalid_grant", 1);
            // another client behind the same proxy is not held back
            assertStatus(post(running, "/token", ALICE_RIGHT, "X-Forwarded-For", "198.51.100.8"), Status.OK_200);
            assertStatus(post(running, "/token", ALICE_RIGHT), Status.OK_200);
        }
    }

    @Test
    void forwardedHeaderFromUntrustedPeerChangesNothing() {
        try (TestApp.Running running = start(Map.of("app.login-protection.trusted-proxies.0", "10.0.0.0/8"))) {
            for (int i = 0; i < 20; i++) {
                assertStatus(post(running, "/token", "grant_type=password&username=user-" + i + "&password=x",
                                  "X-Forwarded-For", "198.51.100." + i), Status.BAD_REQUEST_400);
            }
            // every spoofed address was counted as the peer's: the spray is stopped all the same
            assertThrottled(post(running, "/token", ALICE_RIGHT, "X-Forwarded-For", "198.51.100.200"),
                            "invalid_grant", 1);
            assertThrottled(post(running, "/token", ALICE_RIGHT, "Forwarded", "for=198.51.100.201"),
                            "invalid_grant", 1);
        }
    }

    @Test
    void disabledProtectionNeverWaits() {
        try (TestApp.Running running = start(Map.of("app.login-protection.enabled", "false"))) {
            for (int i = 0; i < 25; i++) {
                assertStatus(login(running, "alice", "wrong-" + i), Status.BAD_REQUEST_400);
            }
            assertStatus(post(running, "/token", ALICE_RIGHT), Status.OK_200);
        }
    }

    // --- helpers

    private TestApp.Running start(Map<String, String> overrides) {
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.putIfAbsent("app.login-protection.enabled", "true");
        return TestApp.start(TestApp.create(all, clock).server());
    }

    /** Six failed logins and one more attempt, as status, Retry-After and body. */
    private List<String> attempts(TestApp.Running running, String username) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (Http1ClientResponse res = login(running, username, "wrong-" + i)) {
                answers.add(res.status().code() + " " + res.headers().first(HeaderNames.RETRY_AFTER).orElse("-")
                                    + " " + res.as(JsonObject.class));
            }
        }
        return answers;
    }

    private static Http1ClientResponse login(TestApp.Running running, String username, String password) {
        return post(running, "/token", "grant_type=password&username=" + username + "&password=" + password);
    }

    private static Http1ClientResponse clientToken(TestApp.Running running, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
        return post(running, "/token", "grant_type=client_credentials", "Authorization", "Basic " + basic);
    }

    private static Http1ClientResponse introspect(TestApp.Running running, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
        return post(running, "/introspect", "token=abc", "Authorization", "Basic " + basic);
    }

    private static Http1ClientResponse post(TestApp.Running running, String path, String form, String... headers) {
        return TestApp.postForm(running.client(), path, form, headers);
    }

    private static void assertStatus(Http1ClientResponse response, Status status) {
        try (response) {
            assertThat(response.status(), is(status));
        }
    }

    private static JsonObject assertThrottled(Http1ClientResponse response, String error, long retryAfter) {
        try (response) {
            assertThat(response.status(), is(Status.TOO_MANY_REQUESTS_429));
            assertThat(response.headers().get(HeaderNames.RETRY_AFTER).get(), is(String.valueOf(retryAfter)));
            assertThat(response.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            JsonObject body = response.as(JsonObject.class);
            assertThat(body.getString("error"), is(error));
            assertThat(body.getString("error_description").isEmpty(), is(false));
            return body;
        }
    }

    private static String metrics(TestApp.Running running) {
        return TestApp.metrics(running.client());
    }

    private static double metric(TestApp.Running running, String meter) {
        return TestApp.metric(metrics(running), meter);
    }
}
