package dev.tokenservice.token;

import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;

/**
 * Whether the subject of a validly signed access token may still use it. The subject is a user today; a token of
 * the client credentials grant names a client instead, and a composed implementation can tell the two apart by
 * the claims (RFC 9068 §2.2: {@code sub} is the client id when no user is involved).
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

    /**
     * Subjects that are users of the user store: a token of a user removed or disabled since is refused.
     *
     * @param users user store
     * @return subjects
     */
    static TokenSubjects users(UserStore users) {
        return claims -> users.find(claims.subject()).filter(User::active).isPresent();
    }
}
