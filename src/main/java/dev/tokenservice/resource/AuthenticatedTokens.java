package dev.tokenservice.resource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.keys.PublicKeys;
import dev.tokenservice.token.AccessTokenClaims;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.helidon.security.Grant;
import io.helidon.security.Principal;
import io.helidon.security.Subject;

/**
 * The access tokens whose signature and claims were verified, each with the identity Helidon's JWT provider built
 * for it, keyed by the exact token string: so that a token's signature is checked once, not on every request. Only
 * immutable results are kept: never a security context or a subject (each request gets its own), never a refusal
 * (a client could fill the cache with garbage).
 * <p>
 * Bounded in bytes: each entry is charged {@link #weight(String)}, an upper bound of the memory it holds (the token,
 * its claims, the name of its principal; {@code AuthenticatedTokensTest} measures it), against the
 * configured most.
 * The policy is Caffeine's W-TinyLFU: when the active tokens outnumber the cache, a new token enters only in place of
 * one used less often, so the cache keeps serving a stable share of them; under LRU a cyclic pattern larger than the
 * cache would hit nothing. An entry leaves at its token's {@code exp}, and is not used with another key set than the
 * one it was verified with.
 */
final class AuthenticatedTokens {
    /** What an entry holds besides the token: claims, the principal's names, the cache's node. */
    static final int ENTRY_OVERHEAD = 768;

    private final Cache<String, Entry> cache;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * Creates the cache.
     *
     * @param maxBytes the most memory its entries may hold; 0 keeps none
     * @param clock    time source of the tokens' expiry
     */
    AuthenticatedTokens(long maxBytes, Clock clock) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String token, Entry entry) -> weight(token))
                .expireAfter(Expiry.creating((String token, Entry entry) -> Duration.between(
                        clock.instant(), entry.claims().expiresAt())))
                .ticker(() -> nanos(clock.instant()))
                // the cache's upkeep on the calling thread rather than on the common pool
                .executor(Runnable::run)
                .build();
    }

    /**
     * The entry of a token verified with the given keys.
     *
     * @return the entry, or {@code null} when the token was not verified with these keys
     */
    Entry get(String token, PublicKeys keys) {
        Entry entry = cache.getIfPresent(token);
        return entry != null && entry.keys() == keys ? entry : null;
    }

    /** Keeps a verified token until its expiry, if the policy admits it. */
    void put(String token, Entry entry) {
        if (clock.instant().isBefore(entry.claims().expiresAt())) {
            cache.put(token, entry);
        }
    }

    /** The weight of the entries kept now, in bytes. */
    long weightedSize() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /**
     * The bytes an entry is charged: the token's length and a quarter again (the token string, one byte a character,
     * and the strings its claims decode to) and a fixed part for the objects around them.
     */
    static int weight(String token) {
        return ENTRY_OVERHEAD + token.length() * 5 / 4;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /**
     * The entry of a token the rule verified and the JWT provider gave a subject.
     *
     * @param keys    the public keys the token was verified with
     */
    Entry entry(PublicKeys keys, AccessTokenClaims claims, Subject subject) {
        // grants are few (the scopes the service issues), so every entry shares the same instances
        List<Grant> shared = subject.grants(Grant.class).stream()
                .map(grant -> grants.computeIfAbsent(grant.type() + " " + grant.getName(), name -> grant))
                .toList();
        return new Entry(keys, claims, subject.principal().getName(), subject.principal().id(), shared);
    }

    /**
     * A verified token: what the access token rule read, and the identity Helidon's JWT provider built: the name and
     * id of its principal, whose attributes (every claim once more, with a map and a lock) are not kept, and its
     * grants, shared by every entry.
     *
     * @param keys   the public keys it was verified with
     * @param name   the name of the principal the JWT provider built ({@code preferred_username}, else {@code sub})
     * @param id     the id of that principal ({@code sub})
     */
    record Entry(PublicKeys keys, AccessTokenClaims claims, String name, String id, List<Grant> grants) {
        Entry {
            grants = List.copyOf(grants);
        }

        /**
         * A new subject of this identity, for one request: a principal of the JWT provider's name and id, its grants,
         * and the rule's claims as a public credential, for the route handlers.
         */
        Subject subject() {
            Subject.Builder subject = Subject.builder()
                    .principal(Principal.builder().name(name).id(id).build())
                    .addPublicCredential(AccessTokenClaims.class, claims);
            grants.forEach(subject::addGrant);
            return subject.build();
        }
    }
}
