package dev.tokenservice.ops;

import java.time.Instant;
import java.util.Locale;

import dev.tokenservice.token.AccessTokenClaims;

import io.helidon.config.Config;
import io.helidon.security.SecurityContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import jakarta.json.Json;

/**
 * One line per request on the {@code access} logger: time, method, path, status, duration, client address and
 * the authenticated subject. The query string and every header are left out, so no password, token or
 * {@code Authorization} value can reach the log. {@code app.access-log.format} is {@code plain} or {@code json}.
 * <p>
 * Written by hand: Helidon's access log module does not resolve at 4.3.0 here.
 */
public final class AccessLog implements Filter {
    private static final System.Logger LOGGER = System.getLogger("access");

    private final boolean json;

    private AccessLog(boolean json) {
        this.json = json;
    }

    /**
     * Creates the filter from {@code app.access-log}.
     *
     * @param config the {@code app.access-log} node
     * @return filter
     */
    public static AccessLog create(Config config) {
        String format = config.get("format").asString().orElse("plain").toLowerCase(Locale.ROOT);
        if (!format.equals("plain") && !format.equals("json")) {
            throw new IllegalStateException("app.access-log.format must be plain or json, not " + format);
        }
        return new AccessLog(format.equals("json"));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            if (LOGGER.isLoggable(System.Logger.Level.INFO)) {
                LOGGER.log(System.Logger.Level.INFO, line(start, (System.nanoTime() - startNanos) / 1_000_000.0,
                                                          req, res));
            }
        }
    }

    private String line(Instant time, double millis, RoutingRequest req, RoutingResponse res) {
        String method = req.prologue().method().text();
        String path = req.prologue().uriPath().path();
        int status = res.status().code();
        String client = req.remotePeer().host();
        String subject = req.context().get(SecurityContext.class)
                .filter(SecurityContext::isAuthenticated)
                .flatMap(SecurityContext::user)
                // the caller the access token rule accepted: a client's own token shows as client:<client id>
                .flatMap(user -> user.publicCredential(AccessTokenClaims.class))
                .map(AccessTokenClaims::caller)
                .orElse("-");
        String duration = String.format(Locale.ROOT, "%.1f", millis);
        if (json) {
            return Json.createObjectBuilder()
                    .add("time", time.toString())
                    .add("method", method)
                    .add("path", path)
                    .add("status", status)
                    .add("duration_ms", Double.parseDouble(duration))
                    .add("client", client)
                    .add("subject", subject)
                    .build()
                    .toString();
        }
        return time + " " + client + " " + subject + " \"" + method + " " + path + "\" " + status + " " + duration
                + "ms";
    }
}
