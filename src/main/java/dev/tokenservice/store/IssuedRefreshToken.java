package dev.tokenservice.store;

import java.util.List;

/**
 * A refresh token just issued, with its family. The token itself is stored nowhere: only its hash is.
 *
 * @param token   the refresh token to hand to the client
 * @param session its family
 * @param capped  the ids of the user's older families that this login revoked, being beyond
 *                {@code app.refresh-token.max-sessions-per-user}
 */
public record IssuedRefreshToken(String token, RefreshSession session, List<String> capped) {
    /**
     * A token whose login revoked no other family.
     *
     * @param token   the refresh token
     * @param session its family
     */
    public IssuedRefreshToken(String token, RefreshSession session) {
        this(token, session, List.of());
    }

    /**
     * Creates the record.
     */
    public IssuedRefreshToken {
        capped = List.copyOf(capped);
    }

    @Override
    public String toString() {
        // a refresh token is a credential: never print it
        return "IssuedRefreshToken[" + session + "]";
    }
}
