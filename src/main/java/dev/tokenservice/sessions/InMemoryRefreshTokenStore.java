package dev.tokenservice.sessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refresh token families in memory: lost on restart, not shared between instances.
 * <p>
 * Two maps: families by id, and the family of every token hash (current and used ones, so that a reused token is
 * recognised until its family ends). Every change of a family runs inside {@link ConcurrentHashMap#compute} on
 * its id, which locks that family alone: two redemptions of one token are serialised, and the second sees the
 * token used. Families past their idle or absolute expiry are purged at most once a minute, by the caller that
 * finds a purge due, and with them the hashes of their tokens, so memory follows the number of live families and
 * their refreshes, not the history.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    /** Access tokens are remembered this long past exp: longer than any clock skew a resource server allows. */
    private static final Duration ACCESS_TOKEN_MARGIN = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> familyOfToken = new ConcurrentHashMap<>();
    private final RefreshTokenSettings settings;
    private final RevokedTokens revokedAccessTokens;
    private final Clock clock;
    private final PurgeSchedule purge;

    /**
     * Creates the store.
     *
     * @param settings            lifetimes
     * @param revokedAccessTokens where the access tokens of a revoked family go
     * @param clock               time source
     */
    public InMemoryRefreshTokenStore(RefreshTokenSettings settings, RevokedTokens revokedAccessTokens, Clock clock) {
        this.settings = settings;
        this.revokedAccessTokens = revokedAccessTokens;
        this.clock = clock;
        this.purge = new PurgeSchedule(clock, PURGE_INTERVAL);
    }

    @Override
    public IssuedRefreshToken issue(String username, String clientId, Set<String> scopes) {
        purgeIfDue();
        Instant now = clock.instant();
        RefreshSession session = new RefreshSession(UUID.randomUUID().toString(), username, clientId, scopes, now,
                                                    now.plus(settings.absoluteTtl()));
        String token = OpaqueTokens.generate();
        String hash = OpaqueTokens.hash(token);
        families.put(session.familyId(), new Family(session, hash, idleExpiry(session, now), List.of()));
        // the family first: a purge drops the hashes whose family it does not find
        familyOfToken.put(hash, session.familyId());
        return new IssuedRefreshToken(token, session);
    }

    @Override
    public Redemption redeem(String token, String clientId, Set<String> requestedScopes) {
        purgeIfDue();
        String hash = OpaqueTokens.hash(token);
        String familyId = familyOfToken.get(hash);
        if (familyId == null) {
            return new Redemption.Refused(Redemption.Reason.UNKNOWN);
        }
        Instant now = clock.instant();
        Outcome outcome = new Outcome();
        families.compute(familyId, (id, family) -> {
            if (family == null) {
                outcome.redemption = new Redemption.Refused(Redemption.Reason.UNKNOWN);
                return null;
            }
            if (family.expired(now)) {
                outcome.redemption = new Redemption.Refused(Redemption.Reason.EXPIRED);
                return null;
            }
            if (!family.currentHash().equals(hash)) {
                // RFC 9700 §4.14.2: attacker or client, one of them holds a stolen copy; end the family for both
                outcome.redemption = new Redemption.Refused(Redemption.Reason.REUSED);
                outcome.revoked = family;
                return null;
            }
            if (!family.session().clientId().equals(clientId)) {
                outcome.redemption = new Redemption.Refused(Redemption.Reason.OTHER_CLIENT);
                return family;
            }
            if (!family.session().scopes().containsAll(requestedScopes)) {
                outcome.redemption = new Redemption.Refused(Redemption.Reason.SCOPE_WIDENED);
                return family;
            }
            String next = OpaqueTokens.generate();
            String nextHash = OpaqueTokens.hash(next);
            familyOfToken.put(nextHash, id);
            outcome.redemption = new Redemption.Rotated(next, family.session());
            return new Family(family.session(), nextHash, idleExpiry(family.session(), now),
                              family.liveAccessTokens(now));
        });
        if (outcome.revoked != null) {
            revokeAccessTokens(outcome.revoked);
        }
        return outcome.redemption;
    }

    @Override
    public void recordAccessToken(String familyId, AccessTokenId accessToken) {
        Instant now = clock.instant();
        Family family = families.computeIfPresent(familyId, (id, f) -> f.withAccessToken(accessToken, now));
        if (family == null) {
            // revoked while the access token was being issued
            revokedAccessTokens.revoke(accessToken);
        }
    }

    @Override
    public Optional<RefreshSession> find(String token) {
        String familyId = familyOfToken.get(OpaqueTokens.hash(token));
        Family family = familyId == null ? null : families.get(familyId);
        if (family == null || family.expired(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(family.session());
    }

    @Override
    public boolean revokeFamily(String familyId) {
        Family family = families.remove(familyId);
        if (family == null) {
            return false;
        }
        revokeAccessTokens(family);
        return true;
    }

    @Override
    public int revokeUser(String username) {
        int revoked = 0;
        for (Family family : families.values()) {
            if (family.session().username().equals(username) && revokeFamily(family.session().familyId())) {
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * Removes ended families and the hashes of tokens whose family has ended or been revoked.
     */
    public void purgeExpired() {
        Instant now = clock.instant();
        for (String familyId : families.keySet()) {
            families.computeIfPresent(familyId, (id, family) -> family.expired(now) ? null : family);
        }
        familyOfToken.values().removeIf(familyId -> !families.containsKey(familyId));
    }

    /**
     * The number of token hashes held, current and used.
     *
     * @return size
     */
    public int size() {
        return familyOfToken.size();
    }

    /**
     * The number of live (or not yet purged) families.
     *
     * @return family count
     */
    public int familyCount() {
        return families.size();
    }

    /**
     * Whether a hash is held; for tests that check no token is stored in clear.
     *
     * @param key a candidate key
     * @return whether the store holds it
     */
    boolean holds(String key) {
        return familyOfToken.containsKey(key);
    }

    private Instant idleExpiry(RefreshSession session, Instant now) {
        // a new token never outlives its family
        Instant idle = now.plus(settings.idleTtl());
        return idle.isBefore(session.absoluteExpiry()) ? idle : session.absoluteExpiry();
    }

    private void revokeAccessTokens(Family family) {
        family.accessTokens().forEach(revokedAccessTokens::revoke);
    }

    private void purgeIfDue() {
        if (purge.due()) {
            purgeExpired();
        }
    }

    /**
     * One family's state, replaced as a whole on every change.
     */
    private record Family(RefreshSession session, String currentHash, Instant idleExpiry,
                          List<AccessTokenId> accessTokens) {
        boolean expired(Instant now) {
            return !now.isBefore(idleExpiry) || !now.isBefore(session.absoluteExpiry());
        }

        List<AccessTokenId> liveAccessTokens(Instant now) {
            Instant cutoff = now.minus(ACCESS_TOKEN_MARGIN);
            return accessTokens.stream().filter(token -> token.expiresAt().isAfter(cutoff)).toList();
        }

        Family withAccessToken(AccessTokenId accessToken, Instant now) {
            List<AccessTokenId> tokens = new ArrayList<>(liveAccessTokens(now));
            tokens.add(accessToken);
            return new Family(session, currentHash, idleExpiry, List.copyOf(tokens));
        }
    }

    /**
     * What happened inside a compute, read after it.
     */
    private static final class Outcome {
        private Redemption redemption;
        private Family revoked;
    }
}
