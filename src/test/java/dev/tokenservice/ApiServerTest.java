package dev.tokenservice;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@link AbstractApiTest} over a real socket, with the server configured as {@link Main} configures it.
 */
@ServerTest
class ApiServerTest extends AbstractApiTest {
    ApiServerTest(Http1Client client) {
        super(client);
    }

    @Test
    void bodyOverTheLimitIs413Json() {
        String form = "grant_type=password&username=alice&password=" + "x".repeat(20_000);
        try (Http1ClientResponse res = postToken(form)) {
            assertThat(res.status(), is(Status.REQUEST_ENTITY_TOO_LARGE_413));
            assertThat(res.as(JsonObject.class).getString("error"), is("request_too_large"));
        }
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestApp.shared().configure(server);
    }
}
