package dev.tokenservice;

import java.util.List;

import dev.tokenservice.web.ErrorHandling;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.spi.ServerFeature;
import io.helidon.webserver.testing.junit5.SetUpFeatures;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * An unexpected failure is a JSON 500 that shows nothing of the failure.
 */
@RoutingTest
class ErrorHandlingTest {
    private final DirectClient client;

    ErrorHandlingTest(DirectClient client) {
        this.client = client;
    }

    @SetUpFeatures(false)
    static List<ServerFeature> features() {
        // no discovered features: this test is about the error handlers alone
        return List.of();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ErrorHandling.register(routing);
        routing.get("/boom", (req, res) -> {
            throw new IllegalStateException("password=hunter2 at /etc/secret");
        });
    }

    @Test
    void unexpectedExceptionIsJson500WithoutDetails() {
        try (Http1ClientResponse res = client.get("/boom").request()) {
            assertThat(res.status(), is(Status.INTERNAL_SERVER_ERROR_500));
            String body = res.as(String.class);
            JsonObject json = jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject();
            assertThat(json.getString("error"), is("server_error"));
            assertThat(body, not(containsString("hunter2")));
            assertThat(body, not(containsString("IllegalStateException")));
            assertThat(body, not(containsString("at dev.")));
        }
    }
}
