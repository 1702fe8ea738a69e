package dev.tokenservice.token;

/**
 * One grant type of the token endpoint (RFC 6749 §4), chosen by the {@code grant_type} parameter.
 */
public interface TokenGrant {
    /**
     * The {@code grant_type} value this grant answers.
     *
     * @return grant type
     */
    String grantType();

    /**
     * Checks the request and issues a token.
     *
     * @param request form parameters
     * @return issued token
     * @throws OAuthError when the request is refused
     */
    TokenService.AccessToken grant(TokenRequest request);
}
