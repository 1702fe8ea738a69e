package dev.tokenservice;

import java.time.Duration;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.AbstractApiTest.assertOAuthError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code app.refresh-token.idle-ttl} and {@code absolute-ttl} reach the token endpoint: a service on a clock the
 * test moves, so nothing sleeps.
 */
class RefreshLifetimeTest {
    private final TestClock clock = new TestClock();

    @Test
    void refreshTokenUnusedForTheIdleLifetimeIsRefused() {
        try (TestApp.Running running = start()) {
            String refreshToken = login(running.client());
            clock.advance(Duration.ofMinutes(59));
            refreshToken = refresh(running.client(), refreshToken);
            clock.advance(Duration.ofMinutes(59));
            refreshToken = refresh(running.client(), refreshToken);

            clock.advance(Duration.ofMinutes(60));
            assertOAuthError(post(running.client(), refreshToken), Status.BAD_REQUEST_400, "invalid_grant");
        }
    }

    @Test
    void sessionEndsAtTheAbsoluteLifetimeHoweverOftenRefreshed() {
        try (TestApp.Running running = start()) {
            String refreshToken = login(running.client());
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofMinutes(35));
                refreshToken = refresh(running.client(), refreshToken);
            }
            // 2h55 after the login: the idle period would run on to 3h55, the session ends at 3h
            clock.advance(Duration.ofMinutes(5));
            assertOAuthError(post(running.client(), refreshToken), Status.BAD_REQUEST_400, "invalid_grant");
        }
    }

    private TestApp.Running start() {
        return TestApp.start(TestApp.create(Map.of("app.refresh-token.idle-ttl", "PT1H",
                                                   "app.refresh-token.absolute-ttl", "PT3H"), clock).server());
    }

    private static String login(Http1Client client) {
        try (Http1ClientResponse res = client.post("/token").contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=alice-password")) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class).getString("refresh_token");
        }
    }

    private static String refresh(Http1Client client, String refreshToken) {
        try (Http1ClientResponse res = post(client, refreshToken)) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class).getString("refresh_token");
        }
    }

    private static Http1ClientResponse post(Http1Client client, String refreshToken) {
        return client.post("/token").contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=refresh_token&refresh_token=" + refreshToken);
    }
}
