package dev.tokenservice;

import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.AbstractApiTest.assertOAuthError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * A deployment that switches the default client off ({@code app.default-client: ""}): every token request must
 * name its client.
 */
class DefaultClientOffTest {
    private static final String LOGIN = "grant_type=password&username=alice&password=alice-password";

    @Test
    void requestWithoutClientIsInvalidClient() {
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of("app.default-client", "")).server())) {
            for (String authorization : new String[] {null, "Basic Og=="}) {
                var request = running.client().post("/token");
                if (authorization != null) {
                    request.header(HeaderNames.AUTHORIZATION, authorization);
                }
                try (Http1ClientResponse res = request.contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                        .submit(LOGIN)) {
                    assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), startsWith("Basic"));
                    assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
                }
            }
            try (Http1ClientResponse res = running.client().post("/token")
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                    .submit(LOGIN + "&client_id=test-public")) {
                assertThat(res.status(), is(Status.OK_200));
            }
        }
    }
}
