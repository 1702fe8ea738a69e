package dev.tokenservice.token;

import io.helidon.http.Status;

/**
 * An RFC 6749 §5.2 error answer of the token endpoint. Thrown where the request is found wrong, sent by the
 * endpoint as {@code {"error", "error_description"}}.
 */
public final class OAuthError extends RuntimeException {
    private final String error;
    private final Status status;

    private OAuthError(String error, String description, Status status) {
        // no stack trace: this is an answer, not a failure of the service
        super(description, null, false, false);
        this.error = error;
        this.status = status;
    }

    /**
     * {@code invalid_request}: missing, repeated or malformed parameter.
     *
     * @param description what is wrong
     * @return error
     */
    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, Status.BAD_REQUEST_400);
    }

    /**
     * {@code invalid_client}: client authentication failed (§5.2: status 401 with a challenge).
     *
     * @param description what is wrong
     * @return error
     */
    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, Status.UNAUTHORIZED_401);
    }

    /**
     * {@code invalid_grant}: the credentials or grant are wrong, expired or revoked.
     *
     * @param description what is wrong
     * @return error
     */
    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, Status.BAD_REQUEST_400);
    }

    /**
     * {@code unsupported_grant_type}.
     *
     * @param description what is wrong
     * @return error
     */
    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError("unsupported_grant_type", description, Status.BAD_REQUEST_400);
    }

    /**
     * {@code invalid_scope}: unknown, malformed or not allowed scope.
     *
     * @param description what is wrong
     * @return error
     */
    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description, Status.BAD_REQUEST_400);
    }

    /**
     * {@code unauthorized_client}: the authenticated client may not do this (use this grant type, or revoke a
     * token issued to another client, RFC 7009 §2.1).
     *
     * @param description what is wrong
     * @return error
     */
    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", description, Status.BAD_REQUEST_400);
    }

    /**
     * The RFC 6749 error code.
     *
     * @return code
     */
    public String error() {
        return error;
    }

    /**
     * The HTTP status.
     *
     * @return status
     */
    public Status status() {
        return status;
    }
}
