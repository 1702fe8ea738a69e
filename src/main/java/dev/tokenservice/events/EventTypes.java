package dev.tokenservice.events;

import java.util.List;

/**
 * The {@code type} of a security event: a lower-case dotted name, fixed and documented (docs/operating.md).
 */
public final class EventTypes {
    /** A password login (RFC 6749 §4.3): succeeded, failed (with a reason) or throttled. */
    public static final String LOGIN = "login";
    /** A client authentication failed at {@code /token}, {@code /introspect} or {@code /revoke}. */
    public static final String CLIENT_AUTH = "client.auth";
    /** A client's own token issued (client credentials grant), or refused. */
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    /** A refresh token redeemed, or refused. */
    public static final String REFRESH = "refresh";
    /** Sessions or access tokens revoked: by {@code /revoke}, by logout, by a reuse, by the per-user cap. */
    public static final String REVOCATION = "revocation";
    /** The users file read again: replaced the users, or refused. */
    public static final String USERS_RELOAD = "users.reload";
    /** The key set file read again: replaced the keys, or refused. */
    public static final String KEYS_RELOAD = "keys.reload";
    /** A key added to the key set. */
    public static final String KEY_ADDED = "key.added";
    /** A key no longer signs new tokens (a rotation), or left the key set. */
    public static final String KEY_RETIRED = "key.retired";
    /** The shared store became unavailable ({@code failure}) or available again ({@code success}). */
    public static final String STORE = "store";
    /** Requests to protected routes refused, counted per address and reason, at most one event a minute each. */
    public static final String BEARER_REFUSED = "bearer.refused";

    /** Every type, in the order of the documentation. */
    public static final List<String> ALL = List.of(LOGIN, CLIENT_AUTH, CLIENT_CREDENTIALS, REFRESH, REVOCATION,
                                                   USERS_RELOAD, KEYS_RELOAD, KEY_ADDED, KEY_RETIRED, STORE,
                                                   BEARER_REFUSED);

    /** The {@code outcome} of a transition that went as asked. */
    public static final String SUCCESS = "success";
    /** The {@code outcome} of a refusal or a failure. */
    public static final String FAILURE = "failure";

    private EventTypes() {
    }
}
