package dev.tokenservice.web;

import java.util.Map;

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

    private JsonErrors() {
    }

    /**
     * The error object.
     *
     * @param error       machine-readable code
     * @param description human-readable ASCII description
     * @return JSON object
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
     * @param res         response
     * @param status      HTTP status
     * @param error       machine-readable code
     * @param description human-readable ASCII description
     */
    public static void send(ServerResponse res, Status status, String error, String description) {
        res.status(status).send(body(error, description));
    }
}
