package dev.tokenservice;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code /observe/metrics} in Prometheus text: the service's meters move with what happens, JVM meters are there,
 * and no label names a user or holds a token. Meters are process-wide, so the test compares before and after.
 */
class MetricsTest {
    @Test
    void serviceMetersCountWhatHappens() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            String before = metrics(running);
            String token = TestApp.token(running.client(), "alice", "alice-password");
            login(running, "alice", "wrong");
            login(running, "nobody", "wrong");
            try (Http1ClientResponse ignored = running.client().get("/users/me").request()) {
                // no token
            }
            try (Http1ClientResponse ignored = running.client().get("/users/me")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token + "x").request()) {
                // invalid token
            }
            TestApp.usersMe(running.client(), TestApp.token(running.client(), "bob", "bob-password"));
            try (Http1ClientResponse ignored = running.client().get("/items/1")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + TestApp.token(running.client(), "bob",
                                                                                 "bob-password")).request()) {
                // bob has no "items" scope
            }
            String after = metrics(running);

            assertThat(delta(before, after, "tokens_issued_total\\{grant_type=\"password\""), is(3.0));
            assertThat(delta(before, after, "token_errors_total\\{error=\"invalid_grant\""), is(2.0));
            assertThat(delta(before, after, "bearer_rejections_total\\{reason=\"missing\""), is(1.0));
            assertThat(delta(before, after, "bearer_rejections_total\\{reason=\"invalid\""), is(1.0));
            assertThat(delta(before, after, "bearer_rejections_total\\{reason=\"insufficient_scope\""), is(1.0));
            assertThat(delta(before, after, "password_checks_seconds_count\\{"), is(5.0));
            assertThat(TestApp.metric(after, "password_checks_seconds_bucket\\{[^}]*le=\"\\+Inf\""), greaterThan(0.0));
            assertThat(after, containsString("\njvm_"));
            assertThat(after, not(containsString("alice")));
            assertThat(after, not(containsString("nobody")));
            assertThat(after, not(containsString(token.substring(0, 20))));
        }
    }

    private static void login(TestApp.Running running, String username, String password) {
        try (Http1ClientResponse res = running.client().post("/token")
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=" + username + "&password=" + password)) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
        }
    }

    private static String metrics(TestApp.Running running) {
        try (Http1ClientResponse res = running.client().get("/observe/metrics").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().contentType().orElseThrow().text(), containsString("text/plain"));
            return res.as(String.class);
        }
    }

    private static double delta(String before, String after, String meter) {
        return TestApp.metric(after, meter) - TestApp.metric(before, meter);
    }

    @Test
    void aFreshServerShowsEveryCounterAtZero(@TempDir Path workDir) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(
                "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                "APP_KEYS_GENERATE", "true"))) {
            String metrics = TestApp.newClient(service.baseUri())
                    .get("/observe/metrics").requestEntity(String.class);
            // what the README's grep shows on a server that has served nothing yet
            for (String counter : List.of("tokens_issued_total{grant_type=\"password\"",
                                          "tokens_issued_total{grant_type=\"refresh_token\"",
                                          "token_errors_total{error=\"invalid_grant\"",
                                          "token_errors_total{error=\"invalid_client\"",
                                          "bearer_rejections_total{reason=\"missing\"",
                                          "bearer_rejections_total{reason=\"invalid\"",
                                          "login_throttled_total{reason=\"address\"",
                                          "access_log_dropped_total")) {
                assertThat(counter, java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(counter)
                        + "[^\\n]* 0(\\.0)?$").matcher(metrics).find(), is(true));
            }
        }
    }
}
