package dev.tokenservice.store;

/**
 * A refresh token just issued, with its family. The token itself is stored nowhere: only its hash is.
 *
 * @param token   the refresh token to hand to the client
 * @param session its family
 */
public record IssuedRefreshToken(String token, RefreshSession session) {
    @Override
    public String toString() {
        // a refresh token is a credential: never print it
        return "IssuedRefreshToken[" + session + "]";
    }
}
