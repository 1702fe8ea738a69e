package dev.tokenservice.oauth;

import java.util.List;

/** The grant types this service serves (RFC 6749 §4.3, §6, §4.4), as the {@code grant_type} parameter names them. */
public final class GrantTypes {
    /** Resource owner password credentials (RFC 6749 §4.3). */
    public static final String PASSWORD = "password";
    /** Refreshing an access token (RFC 6749 §6). */
    public static final String REFRESH_TOKEN = "refresh_token";
    /** Client credentials (RFC 6749 §4.4). */
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    /** All of them, in the order the metadata lists them. */
    public static final List<String> ALL = List.of(PASSWORD, REFRESH_TOKEN, CLIENT_CREDENTIALS);

    private GrantTypes() {
    }
}
