package dev.tokenservice;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * A token issued with a short configured lifetime works until its {@code exp}, and not from then on: no leeway.
 * The service runs on a clock the test moves, so nothing sleeps.
 */
class ExpiryTest {
    @Test
    void tokenStopsWorkingAfterItsConfiguredLifetime() {
        // on a whole second, as exp is: the token expires exactly one second after it was issued
        TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of("app.token.ttl", "PT1S"), clock)
                                                             .server())) {
            String token;
            try (Http1ClientResponse res = running.client().post("/token")
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                    .submit("grant_type=password&username=alice&password=alice-password")) {
                JsonObject body = res.as(JsonObject.class);
                assertThat(body.getInt("expires_in"), is(1));
                token = body.getString("access_token");
            }
            assertThat(TestApp.usersMe(running.client(), token), is(200));

            clock.advance(Duration.ofMillis(999));
            assertThat(TestApp.usersMe(running.client(), token), is(200));
            clock.advance(Duration.ofMillis(1));

            try (Http1ClientResponse res = running.client().get("/users/me")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                assertThat(res.status(), is(Status.UNAUTHORIZED_401));
                assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Bearer error=\"invalid_token\""));
            }
        }
    }
}
