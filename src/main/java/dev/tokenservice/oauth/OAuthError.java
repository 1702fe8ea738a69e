package dev.tokenservice.oauth;

import java.util.OptionalLong;

import io.helidon.http.Status;

/**
 * An RFC 6749 §5.2 error answer of the token endpoint. Thrown where the request is found wrong, sent by the
 * endpoint as {@code {"error", "error_description"}}.
 */
public final class OAuthError extends RuntimeException {
    private final String error;
    private final Status status;
    private final OptionalLong retryAfter;
    private final boolean closesConnection;

    private OAuthError(String error, String description, Status status) {
        this(error, description, status, OptionalLong.empty(), false);
    }

    private OAuthError(String error, String description, Status status, OptionalLong retryAfter) {
        this(error, description, status, retryAfter, false);
    }

    private OAuthError(String error, String description, Status status, OptionalLong retryAfter,
                       boolean closesConnection) {
        // no stack trace: this is an answer, not a failure of the service
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.retryAfter = retryAfter;
        this.closesConnection = closesConnection;
    }

    /**
     * {@code invalid_request} for a body that could not be read to its end (a broken chunk, a client that stops):
     * the answer closes the connection, since where the next request would start is unknown (RFC 9112 §6.3).
     */
    public static OAuthError unreadableBody(String description) {
        return new OAuthError("invalid_request", description, Status.BAD_REQUEST_400, OptionalLong.empty(), true);
    }

    /** Whether the connection is closed after the answer: when the body was left unread. */
    public boolean closesConnection() {
        return closesConnection;
    }

    /** {@code invalid_request}: missing, repeated or malformed parameter. */
    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, Status.BAD_REQUEST_400);
    }

    /** {@code invalid_client}: client authentication failed (§5.2: status 401 with a challenge). */
    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, Status.UNAUTHORIZED_401);
    }

    /** {@code invalid_grant}: the credentials or grant are wrong, expired or revoked. */
    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, Status.BAD_REQUEST_400);
    }

    /** {@code unsupported_grant_type}. */
    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", description, Status.BAD_REQUEST_400);
    }

    /** {@code invalid_scope}: unknown, malformed or not allowed scope. */
    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description, Status.BAD_REQUEST_400);
    }

    /**
     * {@code unauthorized_client}: the authenticated client may not do this (use this grant type, or revoke a
     * token issued to another client, RFC 7009 §2.1).
     */
    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", description, Status.BAD_REQUEST_400);
    }

    /**
     * A refused attempt while its username, client id or address waits after too many failures: {@code 429} with
     * {@code Retry-After}, and the error code a failure of the same attempt gets ({@code invalid_grant} for a
     * password login, {@code invalid_client} for client authentication), which OAuth2 client libraries report as a
     * failed grant or client authentication. A code of our own would reach them as an unknown error, and
     * {@code slow_down} (RFC 8628 §3.5) tells a device-flow client to keep polling.
     *
     * @param error             {@code invalid_grant} or {@code invalid_client}
     * @param retryAfterSeconds seconds until the wait ends
     */
    public static OAuthError throttled(String error, long retryAfterSeconds) {
        return new OAuthError(error, "Too many failed attempts: try again in " + retryAfterSeconds + " s",
                              Status.TOO_MANY_REQUESTS_429, OptionalLong.of(retryAfterSeconds));
    }

    /**
     * {@code temporarily_unavailable} (RFC 6749 §4.1.2.1): too many password or secret checks are running and
     * waiting; {@code 503} with {@code Retry-After}. The connection stays open: closing it let clients that ignore
     * {@code Retry-After} reconnect in a storm ({@code BcryptBulkhead} pauses the refusal instead).

     */
    public static OAuthError temporarilyUnavailable(long retryAfterSeconds) {
        return new OAuthError("temporarily_unavailable", "Too many logins are being checked at once: try again in "
                + retryAfterSeconds + " s", Status.SERVICE_UNAVAILABLE_503, OptionalLong.of(retryAfterSeconds));
    }

    /** The seconds after which the client may try again, for {@code 429} and {@code 503} answers; else empty. */

    public OptionalLong retryAfter() {
        return retryAfter;
    }

    /** The RFC 6749 error code. */
    public String error() {
        return error;
    }

    /** The HTTP status. */
    public Status status() {
        return status;
    }
}
