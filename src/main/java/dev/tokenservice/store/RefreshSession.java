package dev.tokenservice.store;

import java.time.Instant;
import java.util.Set;

/**
 * A refresh token family: one login of a user through a client, and every refresh token rotated from it. All its
 * tokens share these facts; only one token of a family is current at a time.
 *
 * @param familyId       random id of the family, never shown to clients
 * @param username       the user
 * @param clientId       the client the tokens were issued to (RFC 6749 §10.4: bound to it)
 * @param scopes         the scopes granted at login; a refresh may narrow them, never widen (RFC 6749 §6)
 * @param loginAt        when the user logged in
 * @param absoluteExpiry when the family ends, however often it is refreshed
 */
public record RefreshSession(String familyId, String username, String clientId, Set<String> scopes, Instant loginAt,
                             Instant absoluteExpiry) {
    public RefreshSession {
        scopes = Set.copyOf(scopes);
    }
}
