package dev.tokenservice.web;

import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;

/**
 * The one shape of every error this service answers: {@code {"error": "...", "error_description": "..."}},
 * the RFC 6749 §5.2 error object, which RFC 6750 and RFC 7009 reuse.
 */
public final class JsonErrors {
    /** Shared factory: creating one per call is expensive. */
    public static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    /** A database fail-over or restart takes seconds. */
    private static final String RETRY_AFTER_SECONDS = "2";

    private JsonErrors() {
    }

    /**
     * The error object.
     *
     * @param description human-readable ASCII description
     */
    public static JsonObject body(String error, String description) {
        return JSON.createObjectBuilder()
                .add("error", error)
                .add("error_description", description)
                .build();
    }

    /**
     * Sends an error answer.
     *
     * @param description human-readable ASCII description
     */
    public static void send(ServerResponse res, Status status, String error, String description) {
        res.status(status).send(body(error, description));
    }

    /**
     * Sends the answer of a route whose store is unavailable: 503 with {@code Retry-After} and the RFC 6749 code
     * {@code temporarily_unavailable}. Nothing was done, so the client may simply retry.
     */
    public static void unavailable(ServerResponse res) {
        res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        send(res, Status.SERVICE_UNAVAILABLE_503, "temporarily_unavailable",
             "The session store is unavailable; retry later");
    }
}
