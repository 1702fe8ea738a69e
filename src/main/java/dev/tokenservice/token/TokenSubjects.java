package dev.tokenservice.token;

import dev.tokenservice.clients.ClientStore;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;

/**
 * Whether the subject of a validly signed access token may still use it: the user of a user's token, or the client
 * of a client's own token, as {@link AccessTokenVerifier} told them apart ({@link AccessTokenClaims#clientToken()}).
 */
@FunctionalInterface
public interface TokenSubjects {
    /**
     * Whether the token's subject may still use tokens.
     *
     * @param claims the claims of a token whose signature and claims {@link AccessTokenVerifier} has checked
     * @return whether the subject exists and is not disabled
     */
    boolean active(AccessTokenClaims claims);

    /** Subjects that are users of the user store: a token of a user removed or disabled since is refused. */
    static TokenSubjects users(UserStore users) {
        // a client's own token names no user, whatever its sub reads like
        return claims -> !claims.clientToken() && users.find(claims.subject()).filter(User::active).isPresent();
    }

    /**
     * Users of the user store, and clients of the client store: a user's token is refused once its user is removed
     * or disabled, a client's own token once its client is removed or no longer allowed the client credentials
     * grant. Neither ever stands for the other, even when a user and a client share a name.
     */
    static TokenSubjects of(UserStore users, ClientStore clients) {
        TokenSubjects userTokens = users(users);
        return claims -> claims.clientToken()
                ? clients.find(claims.subject())
                        .filter(client -> client.confidential() && client.allows(GrantTypes.CLIENT_CREDENTIALS))
                        .isPresent()
                : userTokens.active(claims);
    }
}
