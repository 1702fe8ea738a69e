package dev.tokenservice.resource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tokenservice.TestClock;
import dev.tokenservice.keys.PublicKeys;
import dev.tokenservice.token.AccessTokenClaims;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The verified tokens kept: bounded in bytes that are at least what the entries really take, a stable share of hits
 * when the active tokens outnumber the cache, and never an entry past its token's expiry or of another key set.
 */
class AuthenticatedTokensTest {
    private final TestClock clock = new TestClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    private final PublicKeys keys = dev.tokenservice.keys.PublicKeyRing
            .of(dev.tokenservice.keys.KeySet.parse("{\"keys\":[" + dev.tokenservice.keys.KeyGenerator.generate("HS256")
                                                           + "]}", null))
            .current();

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "ES256"})
    void anEntryIsChargedAtLeastTheMemoryItHolds(String algorithm) {
        BearerFixture fixture = new BearerFixture(algorithm);
        AuthenticatedTokens cache = new AuthenticatedTokens(1 << 20, fixture.clock);
        BearerAuthentication authentication = fixture.authentication(cache, false);
        String token = fixture.token();
        BearerFixture.request(authentication, token);
        AuthenticatedTokens.Entry entry = cache.get(token, fixture.rule.keys());
        // the entry's own objects, not the key set and the grants it shares with every other
        long held = Footprint.bytes(new Object[] {token, entry}, entry.keys(), entry.grants(), String.class,
                                    Object.class);
        assertThat(held, greaterThan(1000L));
        assertThat((long) AuthenticatedTokens.weight(token), greaterThanOrEqualTo(held));
        // and not wildly more, so that the bound stated in bytes means what it says
        assertThat((double) AuthenticatedTokens.weight(token), lessThanOrEqualTo(1.5 * held));
    }

    @Test
    void theEntriesKeptNeverWeighMoreThanTheBound() {
        long bound = 1 << 20;
        AuthenticatedTokens cache = new AuthenticatedTokens(bound, clock);
        for (int i = 0; i < 2000; i++) {
            cache.put(token(i), entry());
        }
        assertThat(cache.weightedSize(), lessThanOrEqualTo(bound));
        assertThat(cache.weightedSize(), greaterThan(bound / 2));
    }

    @Test
    void whenTheActiveTokensOutnumberTheCacheItStillServesAStableShare() {
        int capacity = 500;
        AuthenticatedTokens cache = new AuthenticatedTokens((long) capacity * AuthenticatedTokens.weight(token(0)),
                                                            clock);
        Map<String, Boolean> lru = lru(capacity);
        int tokens = 2 * capacity;
        int hits = 0;
        int lruHits = 0;
        int uses = 0;
        // requests cycle through twice as many tokens as fit, as many clients sending theirs in turn do
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < tokens; i++) {
                String token = token(i);
                boolean hit = cache.get(token, keys) != null;
                boolean lruHit = lru.get(token) != null;
                if (!hit) {
                    cache.put(token, entry());
                }
                lru.put(token, true);
                if (round >= 5) {
                    uses++;
                    hits += hit ? 1 : 0;
                    lruHits += lruHit ? 1 : 0;
                }
            }
        }
        // W-TinyLFU keeps about what fits (half the tokens); LRU, evicting each token just before its turn, none
        assertThat((double) hits / uses, greaterThan(0.35));
        assertThat(lruHits, is(0));
    }

    @Test
    void anEntryIsNotUsedPastItsTokensExpiry() {
        AuthenticatedTokens cache = new AuthenticatedTokens(1 << 20, clock);
        cache.put("token", entry());
        clock.advance(Duration.ofSeconds(299));
        assertThat(cache.get("token", keys) != null, is(true));
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("token", keys), is(nullValue()));
    }

    @Test
    void anEntryIsNotUsedWithAnotherKeySet() {
        AuthenticatedTokens cache = new AuthenticatedTokens(1 << 20, clock);
        cache.put("token", entry());
        PublicKeys other = dev.tokenservice.keys.PublicKeyRing
                .of(dev.tokenservice.keys.KeySet.parse("{\"keys\":["
                        + dev.tokenservice.keys.KeyGenerator.generate("HS256") + "]}", null))
                .current();
        assertThat(cache.get("token", other), is(nullValue()));
        assertThat(cache.get("token", keys) != null, is(true));
    }

    @Test
    void aCacheOfNoBytesKeepsNothing() {
        AuthenticatedTokens cache = new AuthenticatedTokens(0, clock);
        cache.put("token", entry());
        assertThat(cache.get("token", keys), is(nullValue()));
    }

    private AuthenticatedTokens.Entry entry() {
        Instant now = clock.instant();
        AccessTokenClaims claims = new AccessTokenClaims("alice", "public-client", "me", now, now.plusSeconds(300),
                                                         "https://auth.test", List.of("test-api"), "jti", null,
                                                         false);
        return new AuthenticatedTokens.Entry(keys, claims, "alice", "alice", List.of());
    }

    /** A token-sized string, distinct per number. */
    private static String token(int i) {
        return "eyJ" + "x".repeat(600) + i;
    }

    private static Map<String, Boolean> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }
}
