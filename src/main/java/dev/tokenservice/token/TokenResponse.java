package dev.tokenservice.token;

import java.util.Optional;

/**
 * What a grant issues: an access token and, when the client may refresh, a refresh token (RFC 6749 §5.1).
 *
 * @param accessToken  the access token
 * @param refreshToken the refresh token, {@code null} when none is issued
 */
public record TokenResponse(TokenService.AccessToken accessToken, String refreshToken) {
    /** The refresh token, if one is issued. */
    public Optional<String> refresh() {
        return Optional.ofNullable(refreshToken);
    }

    @Override
    public String toString() {
        // tokens are credentials: never print them
        return "TokenResponse[" + accessToken + ", refreshToken=" + (refreshToken == null ? "none" : "issued") + "]";
    }
}
