package dev.tokenservice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The rules of refresh token families that every store obeys (RFC 6749 §6, RFC 9700 §4.14.2): how a family starts
 * and how long its tokens live, and whether a presented token may rotate, or else why not. The in-memory store
 * applies them in code; the PostgreSQL store in its SQL (a rotation that updates a row only when the token may
 * rotate, then {@link #refusal} to say why it did not). {@code RefreshTokenStoreContract} holds both to them.
 */
public final class RefreshRotation {
    /** Access tokens are remembered this long past exp: longer than any clock skew a resource server allows. */
    public static final Duration ACCESS_TOKEN_MARGIN = Duration.ofMinutes(1);

    private final RefreshTokenSettings settings;

    public RefreshRotation(RefreshTokenSettings settings) {
        this.settings = settings;
    }

    /**
     * A new family: a login now, with a random id, ending after the absolute lifetime; its first token, and the
     * hash the store keeps, expire after the idle lifetime.
     */
    public Start start(String username, String clientId, Set<String> scopes, Instant now) {
        RefreshSession session = new RefreshSession(UUID.randomUUID().toString(), username, clientId, scopes, now,
                                                    now.plus(settings.absoluteTtl()));
        String token = OpaqueTokens.generate();
        return new Start(session, token, OpaqueTokens.hash(token), idleExpiry(session, now));
    }

    /** A family just started: what a store records, and the token for the client. */
    public record Start(RefreshSession session, String token, String hash, Instant expiresAt) {
    }

    /** When a token issued now in a family expires unless used: after the idle lifetime, and never after the family. */
    public Instant idleExpiry(RefreshSession session, Instant now) {
        Instant idle = now.plus(settings.idleTtl());
        return idle.isBefore(session.absoluteExpiry()) ? idle : session.absoluteExpiry();
    }

    /**
     * Why a token of a live family may not rotate now, in this order: the family has ended, the token is not its
     * current one (a reuse: RFC 9700 §4.14.2, the caller revokes the family), another client presents it (§10.4),
     * it asks for scopes the family was not granted (§6); {@code null} when it may rotate.
     *
     * @param expiresAt when the family's current token expires
     * @param current   whether the presented token is the family's current one
     * @return the reason, or {@code null}
     */
    public Redemption.Reason refusal(RefreshSession session, Instant expiresAt, boolean current, String clientId,
                                     Set<String> requested, Instant now) {
        if (!now.isBefore(expiresAt) || !now.isBefore(session.absoluteExpiry())) {
            return Redemption.Reason.EXPIRED;
        }
        if (!current) {
            return Redemption.Reason.REUSED;
        }
        if (!session.clientId().equals(clientId)) {
            return Redemption.Reason.OTHER_CLIENT;
        }
        if (!session.scopes().containsAll(requested)) {
            return Redemption.Reason.SCOPE_WIDENED;
        }
        return null;
    }

    /** The lifetimes and caps. */
    public RefreshTokenSettings settings() {
        return settings;
    }
}
