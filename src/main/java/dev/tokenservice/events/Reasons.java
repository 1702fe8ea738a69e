package dev.tokenservice.events;

/**
 * The {@code reason} of a security event: a stable lower-case code, for filters and alerts.
 */
public final class Reasons {
    // logins, refreshes and client authentication
    /** No user of that name. */
    public static final String UNKNOWN_USER = "unknown_user";
    /** The password does not match. */
    public static final String WRONG_PASSWORD = "wrong_password";
    /** The user is disabled (or was removed since the login, for a refresh). */
    public static final String DISABLED_USER = "disabled_user";
    /** The client may not use the grant type. */
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    /** None of the scopes asked for may be granted. */
    public static final String INVALID_SCOPE = "invalid_scope";
    /** Refused at once: the username, client id or address waits after too many failures. */
    public static final String THROTTLED = "throttled";
    /** No client of that id. */
    public static final String UNKNOWN_CLIENT = "unknown_client";
    /** The client secret does not match, or a confidential client sent none. */
    public static final String WRONG_SECRET = "wrong_secret";
    /** A public client sent a secret, or a secret came without a client id. */
    public static final String UNEXPECTED_SECRET = "unexpected_secret";
    /** No client credentials, and no default client. */
    public static final String NO_CLIENT = "no_client";

    // refresh tokens and revocations
    /** The refresh token was never issued, or its session ended or was purged. */
    public static final String UNKNOWN = "unknown";
    /** The refresh token's session is past its idle or absolute lifetime. */
    public static final String EXPIRED = "expired";
    /** A used refresh token presented again: its session is revoked (RFC 9700 §4.14.2). */
    public static final String REUSED = "reused";
    /** The token was issued to another client. */
    public static final String OTHER_CLIENT = "other_client";
    /** A refresh asked for a scope beyond the login's. */
    public static final String SCOPE_WIDENED = "scope_widened";
    /** The user of a session lost every scope asked for: the session ends. */
    public static final String SCOPE_LOST = "scope_lost";
    /** Revoked by {@code POST /revoke}. */
    public static final String REVOKE = "revoke";
    /** Revoked by {@code POST /users/me/logout}. */
    public static final String LOGOUT = "logout";
    /** The user's oldest session, revoked by a login beyond {@code app.refresh-token.max-sessions-per-user}. */
    public static final String SESSION_CAP = "session_cap";

    // files, keys, the store
    /** The file does not parse or does not validate; the current value stays. */
    public static final String INVALID = "invalid";
    /** The file is missing or cannot be read; the current value stays. */
    public static final String UNREADABLE = "unreadable";
    /** A key stopped signing new tokens: another one signs now. */
    public static final String ROTATED = "rotated";
    /** A key left the key set. */
    public static final String REMOVED = "removed";
    /** The store cannot be reached. */
    public static final String UNAVAILABLE = "unavailable";
    /** The store is reached again. */
    public static final String AVAILABLE = "available";

    // bearer tokens on protected routes
    /** No access token. */
    public static final String MISSING = "missing";
    /** A malformed {@code Authorization} header, or a token in the query. */
    public static final String MALFORMED = "malformed";
    /** An invalid, expired or revoked token. */
    public static final String INVALID_TOKEN = "invalid_token";
    /** A valid token without the route's scope. */
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    private Reasons() {
    }
}
