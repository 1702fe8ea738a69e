package dev.tokenservice;

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
 * A token issued with a short configured lifetime works, then expires.
 */
class ExpiryTest {
    /** Helidon's JWT provider allows this much clock skew past exp. */
    private static final long SKEW_MILLIS = 5_000;

    @Test
    void tokenStopsWorkingAfterItsConfiguredLifetime() throws Exception {
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of("app.token.ttl", "PT1S")).server())) {
            String token;
            try (Http1ClientResponse res = running.client().post("/token")
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                    .submit("grant_type=password&username=alice&password=alice-password")) {
                JsonObject body = res.as(JsonObject.class);
                assertThat(body.getInt("expires_in"), is(1));
                token = body.getString("access_token");
            }
            assertThat(status(running, token), is(Status.OK_200));

            Thread.sleep(1_000 + SKEW_MILLIS + 500);

            try (Http1ClientResponse res = running.client().get("/users/me")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                assertThat(res.status(), is(Status.UNAUTHORIZED_401));
                assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Bearer error=\"invalid_token\""));
            }
        }
    }

    private static Status status(TestApp.Running running, String token) {
        try (Http1ClientResponse res = running.client().get("/users/me")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
            return res.status();
        }
    }
}
