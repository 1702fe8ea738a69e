package dev.tokenservice.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

/**
 * Makes every failure a JSON error object: unknown routes, wrong methods, protocol errors caught before
 * routing (oversized or malformed requests), and unexpected exceptions, which never show a stack trace.
 */
public final class ErrorHandling {
    private static final System.Logger LOGGER = System.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    /** Registers the error handlers of the routing. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(HttpException.class, ErrorHandling::httpException)
                .error(Exception.class, ErrorHandling::unexpected);
    }

    /** JSON answers for errors the server detects before a request reaches the routing. */
    public static DirectHandlers directHandlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, ErrorHandling::direct);
        }
        return builder.build();
    }

    /** A handler answering 405 with the {@code Allow} header, for a path served with other methods. */
    public static Handler methodNotAllowed(Method... allowed) {
        String allow = Arrays.stream(allowed).map(Method::text).collect(Collectors.joining(", "));
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            JsonErrors.send(res, Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
                            req.prologue().method().text() + " is not supported here; use " + allow);
        };
    }

    /**
     * Closes the connection once the answer already given is written: for a request whose end is unknown (a
     * broken body, ambiguous framing), so that nothing after it on the connection is read as a request
     * (RFC 9112 §6.3, §9.6).
     *
     * @param reason why, for Helidon's trace log
     * @throws CloseConnectionException always: Helidon closes the connection when it reaches the server
     */
    public static void closeConnection(ServerResponse res, String reason) {
        if (res instanceof RoutingResponse routing && !routing.isSent()) {
            // a JSON answer is buffered until the routing ends: write it before the connection goes
            routing.commit();
        }
        throw new CloseConnectionException(reason);
    }

    private static void httpException(ServerRequest req, ServerResponse res, HttpException e) {
        Status status = e.status();
        if (status == Status.NOT_FOUND_404) {
            JsonErrors.send(res, status, "not_found", "No resource at " + req.prologue().uriPath().path());
        } else if (status.code() >= 500) {
            unexpected(req, res, e);
        } else {
            JsonErrors.send(res, status, errorCode(status), status.reasonPhrase());
        }
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        String targetProblem = StrictRequests.targetProblem(req.prologue().uriPath().rawPath());
        if (targetProblem != null) {
            // Helidon's security filter runs before StrictRequests and fails on a target that is not a path
            JsonErrors.send(res, Status.BAD_REQUEST_400, "invalid_request", targetProblem);
            return;
        }
        // the exception may quote request content, so log its type and the route only
        LOGGER.log(System.Logger.Level.ERROR, "Unexpected " + e.getClass().getName() + " on "
                + req.prologue().method().text() + " " + req.prologue().uriPath().path());
        LOGGER.log(System.Logger.Level.DEBUG, "Unexpected failure", e);
        JsonErrors.send(res, Status.INTERNAL_SERVER_ERROR_500, "server_error", "The server failed to answer");
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          ServerResponseHeaders headers,
                                                          String message) {
        String description;
        if (status == Status.INTERNAL_SERVER_ERROR_500 && request == DirectHandler.TransportRequest.empty()) {
            // Helidon failed before it could parse the request line (a method with a control character, for
            // one): nothing of this service ran, so the request is what is wrong
            status = Status.BAD_REQUEST_400;
            description = "The request line is malformed";
        } else if (status == Status.HTTP_VERSION_NOT_SUPPORTED_505) {
            // Helidon 4.3.0 serves HTTP/1.1 (and HTTP/2) only, and decides it before any of this service runs
            description = "Only HTTP/1.1 is served: send the request as HTTP/1.1";
        } else {
            description = status.code() >= 500 ? "The server failed to answer" : status.reasonPhrase();
        }
        byte[] body = JsonErrors.body(errorCode(status), description).toString().getBytes(StandardCharsets.UTF_8);
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text())
                .entity(body)
                .build();
    }

    private static String errorCode(Status status) {
        return switch (status.code()) {
            case 400 -> "invalid_request";
            case 413 -> "request_too_large";
            case 500 -> "server_error";
            default -> status.reasonPhrase().toLowerCase().replace(' ', '_');
        };
    }
}
