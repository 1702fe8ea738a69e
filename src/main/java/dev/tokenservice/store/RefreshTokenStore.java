package dev.tokenservice.store;

import java.util.Optional;
import java.util.Set;

/**
 * Refresh token families (RFC 6749 §6, RFC 9700 §4.14.2): refresh tokens are one-time, each use rotates the
 * family to a new token, and a used token presented again revokes the whole family, together with the access
 * tokens issued under it that are still alive.
 * <p>
 * Tokens are opaque random strings ({@link OpaqueTokens}); a store keeps only their hashes. Every operation is
 * atomic, one transaction in a database: of two redemptions of the same token, on one instance or several,
 * exactly one rotates it. A grant step is one operation: the access token issued with a refresh token is recorded
 * by the same call, so that revoking the family revokes it too (RFC 7009 §2.1).
 * <p>
 * A store that cannot reach its database throws {@link StoreUnavailableException}, having changed nothing.
 */
public interface RefreshTokenStore {
    /**
     * Starts a family: a login. When the user already has the most families allowed, the oldest is revoked.
     *
     * @param accessToken the access token issued with it, recorded under the family
     */
    IssuedRefreshToken issue(String username, String clientId, Set<String> scopes, AccessTokenId accessToken);

    /**
     * Redeems a refresh token for a client: if it is its family's current token, unexpired, issued to this client
     * and the requested scopes are within the family's, it is used up and replaced. A token used before revokes its
     * family.
     *
     * @param requestedScopes the scopes asked for, empty for the family's own
     * @param accessToken     the access token to issue with the new refresh token, recorded under the family when
     *                        the token rotates
     * @return the new token, or why not
     */
    Redemption redeem(String token, String clientId, Set<String> requestedScopes, AccessTokenId accessToken);

    /** The family of a refresh token that is current or was used, as long as the family lives. */
    Optional<RefreshSession> find(String token);

    /** Revokes a family: its refresh tokens and the access tokens recorded under it; false if it did not exist. */
    boolean revokeFamily(String familyId);

    /** Revokes every family of a user (logout everywhere) and answers how many. */
    int revokeUser(String username);
}
