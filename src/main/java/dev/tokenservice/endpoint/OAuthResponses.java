package dev.tokenservice.endpoint;

import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** What the token, revocation and introspection endpoints answer alike: no caching, and RFC 6749 §5.2 errors. */
final class OAuthResponses {
    private static final String BASIC_CHALLENGE = "Basic realm=\"token\", charset=\"UTF-8\"";

    private OAuthResponses() {
    }

    /**
     * Marks the answer as not to be stored: it holds tokens, credentials or token data (RFC 6749 §5.1,
     * RFC 7662 §4), errors included.
     */
    static void noStore(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
    }

    /**
     * Sends an error; a 401 {@code invalid_client} carries the Basic challenge §5.2 asks for, a 429 or 503 the
     * seconds to wait in {@code Retry-After} (RFC 9110 §10.2.3).
     */
    static void unavailable(ServerResponse res) {
        JsonErrors.unavailable(res);
    }

    static void error(ServerResponse res, OAuthError error) {
        if (error.status() == Status.UNAUTHORIZED_401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, BASIC_CHALLENGE);
        }
        error.retryAfter().ifPresent(seconds -> res.header(HeaderNames.RETRY_AFTER, String.valueOf(seconds)));
        if (error.closesConnection()) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        JsonErrors.send(res, error.status(), error.error(), error.getMessage());
        if (error.closesConnection()) {
            ErrorHandling.closeConnection(res, error.getMessage());
        }
    }
}
