package dev.tokenservice.token;

import dev.tokenservice.clients.Client;
import dev.tokenservice.oauth.TokenRequest;

/** One grant type of the token endpoint (RFC 6749 §4), chosen by the {@code grant_type} parameter. */
public interface TokenGrant {
    /** The {@code grant_type} value this grant answers. */
    String grantType();

    /**
     * Whether only an authenticated confidential client may use this grant. The token endpoint then answers a
     * request without client credentials {@code invalid_client}, and a public client {@code unauthorized_client}.
     *
     * @return {@code true} for grants that act for the client itself
     */
    default boolean confidentialClientsOnly() {
        return false;
    }

    /**
     * Checks the request and issues tokens.
     *
     * @param client  the authenticated client, which may use this grant type
     * @throws OAuthError when the request is refused
     */
    TokenResponse grant(TokenRequest request, Client client);
}
