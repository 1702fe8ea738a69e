package dev.tokenservice.store.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.IssuedRefreshToken;
import dev.tokenservice.store.OpaqueTokens;
import dev.tokenservice.store.Redemption;
import dev.tokenservice.store.RefreshRotation;
import dev.tokenservice.store.RefreshSession;
import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RevokedTokens;

/**
 * Refresh token families in memory: lost on restart, not shared between instances.
 * <p>
 * Three maps: families by id, the family of every token hash (current and used ones, so that a reused token is
 * recognised), and the families of each user. Every change of a family runs inside
 * {@link ConcurrentHashMap#compute} on its id, which locks that family alone: two redemptions of one token are
 * serialised, and the second sees the token used. A family that ends takes its hashes with it; families past their
 * idle or absolute expiry are removed by {@link #purgeExpired()}, which the store's purge runs off the request path.
 * Memory per user and per family is capped by {@link RefreshTokenSettings}.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> familyOfToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> familiesOfUser = new ConcurrentHashMap<>();
    private final RefreshTokenSettings settings;
    private final RefreshRotation rotation;
    private final RevokedTokens revokedAccessTokens;
    private final Clock clock;

    /** The store; the access tokens of a revoked family go to {@code revokedAccessTokens}. */
    public InMemoryRefreshTokenStore(RefreshTokenSettings settings, RevokedTokens revokedAccessTokens, Clock clock) {
        this.settings = settings;
        this.rotation = new RefreshRotation(settings);
        this.revokedAccessTokens = revokedAccessTokens;
        this.clock = clock;
    }

    @Override
    public IssuedRefreshToken issue(String username, String clientId, Set<String> scopes, AccessTokenId accessToken) {
        RefreshRotation.Start start = rotation.start(username, clientId, scopes, clock.instant());
        RefreshSession session = start.session();
        families.put(session.familyId(), new Family(session, start.hash(), start.expiresAt(), List.of(),
                                                    List.of(accessToken)));
        familyOfToken.put(start.hash(), session.familyId());
        Set<String> ofUser = familiesOfUser.computeIfAbsent(username, u -> ConcurrentHashMap.newKeySet());
        ofUser.add(session.familyId());
        List<String> capped = ofUser.size() > settings.maxSessionsPerUser()
                ? revokeOldest(username, session.familyId()) : List.of();
        return new IssuedRefreshToken(start.token(), session, capped);
    }

    @Override
    public Redemption redeem(String token, String clientId, Set<String> requestedScopes,
                             AccessTokenId accessToken) {
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
            Redemption.Reason refusal = rotation.refusal(family.session(), family.idleExpiry(),
                                                         family.currentHash().equals(hash), clientId,
                                                         requestedScopes, now);
            if (refusal != null) {
                outcome.redemption = new Redemption.Refused(refusal, family.session());
                switch (refusal) {
                case EXPIRED -> outcome.ended = family;
                case REUSED -> {
                    // attacker or client, one of them holds a stolen copy: the family ends for both
                    outcome.ended = family;
                    outcome.revoked = family.accessTokens();
                }
                default -> {
                    return family;
                }
                }
                return null;
            }
            String next = OpaqueTokens.generate();
            String nextHash = OpaqueTokens.hash(next);
            familyOfToken.put(nextHash, id);
            outcome.redemption = new Redemption.Rotated(next, family.session());
            Family rotated = family.rotate(nextHash, rotation.idleExpiry(family.session(), now), accessToken, now);
            outcome.forgotten = rotated.overflowingHashes(settings.maxUsedTokensPerSession());
            outcome.revoked = rotated.overflowingAccessTokens(settings.maxAccessTokensPerSession());
            return rotated.capped(settings.maxUsedTokensPerSession(), settings.maxAccessTokensPerSession());
        });
        if (outcome.ended != null) {
            forget(outcome.ended);
        }
        outcome.forgotten.forEach(familyOfToken::remove);
        outcome.revoked.forEach(revokedAccessTokens::revoke);
        return outcome.redemption;
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
        forget(family);
        family.accessTokens().forEach(revokedAccessTokens::revoke);
        return true;
    }

    @Override
    public int revokeUser(String username) {
        Set<String> ofUser = familiesOfUser.getOrDefault(username, Set.of());
        int revoked = 0;
        for (String familyId : List.copyOf(ofUser)) {
            if (revokeFamily(familyId)) {
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * Removes ended families and their token hashes. Runs off the request path; its cost follows the number of
     * families.
     */
    public void purgeExpired() {
        Instant now = clock.instant();
        for (String familyId : families.keySet()) {
            Family[] ended = new Family[1];
            families.computeIfPresent(familyId, (id, family) -> {
                if (family.expired(now)) {
                    ended[0] = family;
                    return null;
                }
                return family;
            });
            if (ended[0] != null) {
                forget(ended[0]);
            }
        }
    }

    /** The number of token hashes held, current and used. */
    public int size() {
        return familyOfToken.size();
    }

    /** The number of live (or not yet purged) families. */
    public int familyCount() {
        return families.size();
    }

    /** Whether a hash is held; for tests that check no token is stored in clear. */
    boolean holds(String key) {
        return familyOfToken.containsKey(key);
    }

    private List<String> revokeOldest(String username, String keep) {
        Set<String> ofUser = familiesOfUser.getOrDefault(username, Set.of());
        List<Family> live = ofUser.stream()
                .map(families::get)
                .filter(family -> family != null && !family.session().familyId().equals(keep))
                .sorted(Comparator.comparing((Family family) -> family.session().loginAt()))
                .toList();
        int excess = live.size() + 1 - settings.maxSessionsPerUser();
        List<String> revoked = new ArrayList<>();
        for (int i = 0; i < excess; i++) {
            if (revokeFamily(live.get(i).session().familyId())) {
                revoked.add(live.get(i).session().familyId());
            }
        }
        return revoked;
    }

    /** Drops the hashes and the user index entry of a family that has been removed. */
    private void forget(Family family) {
        familyOfToken.remove(family.currentHash());
        family.usedHashes().forEach(familyOfToken::remove);
        Set<String> ofUser = familiesOfUser.get(family.session().username());
        if (ofUser != null) {
            ofUser.remove(family.session().familyId());
            familiesOfUser.computeIfPresent(family.session().username(), (u, set) -> set.isEmpty() ? null : set);
        }
    }

    /**
     * One family's state, replaced as a whole on every change.
     *
     * @param usedHashes   hashes of its used tokens, oldest first
     * @param accessTokens access tokens issued under it and maybe still alive, oldest first
     */
    private record Family(RefreshSession session, String currentHash, Instant idleExpiry, List<String> usedHashes,
                          List<AccessTokenId> accessTokens) {
        boolean expired(Instant now) {
            return !now.isBefore(idleExpiry) || !now.isBefore(session.absoluteExpiry());
        }

        Family rotate(String nextHash, Instant nextIdleExpiry, AccessTokenId accessToken, Instant now) {
            List<String> used = new ArrayList<>(usedHashes);
            used.add(currentHash);
            Instant cutoff = now.minus(RefreshRotation.ACCESS_TOKEN_MARGIN);
            List<AccessTokenId> tokens = new ArrayList<>(accessTokens.stream()
                                                                 .filter(t -> t.expiresAt().isAfter(cutoff))
                                                                 .toList());
            tokens.add(accessToken);
            return new Family(session, nextHash, nextIdleExpiry, used, tokens);
        }

        List<String> overflowingHashes(int max) {
            return usedHashes.subList(0, Math.max(0, usedHashes.size() - max));
        }

        List<AccessTokenId> overflowingAccessTokens(int max) {
            return accessTokens.subList(0, Math.max(0, accessTokens.size() - max));
        }

        Family capped(int maxUsed, int maxAccess) {
            return new Family(session, currentHash, idleExpiry,
                              List.copyOf(usedHashes.subList(overflowingHashes(maxUsed).size(), usedHashes.size())),
                              List.copyOf(accessTokens.subList(overflowingAccessTokens(maxAccess).size(),
                                                               accessTokens.size())));
        }
    }

    /** What happened inside a compute, acted on after it. */

    private static final class Outcome {
        private Redemption redemption;
        private Family ended;
        private List<String> forgotten = List.of();
        private List<AccessTokenId> revoked = List.of();
    }
}
