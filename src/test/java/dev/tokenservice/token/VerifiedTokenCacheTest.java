package dev.tokenservice.token;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.HostileTokens;
import dev.tokenservice.TestApp;
import dev.tokenservice.TestClock;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.sessions.InMemoryRevokedTokens;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

/**
 * The rule's cache of verified tokens: the signature of a token is checked once, while expiry, revocation, the
 * user's state and the key set still decide on every use, from the very next check on.
 */
class VerifiedTokenCacheTest {
    private static final TokenSettings SETTINGS = new TokenSettings("https://auth.test", "test-api",
                                                                     Duration.ofMinutes(30), "at+jwt");

    private final Path keyFile = TestApp.newKeyFile();
    private final KeyRing keys = KeyRing.load(Config.just(ConfigSources.create(
            Map.of("file", keyFile.toString(), "generate", "true", "algorithm", "HS256", "reload-interval", "PT0S"))));
    private final Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    private final TestClock clock = new TestClock(now);
    private final InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, TokenSettings.CLOCK_SKEW);
    private final Set<String> activeUsers = ConcurrentHashMap.newKeySet();
    private final String jti = UUID.randomUUID().toString();
    private final HostileTokens tokens = new HostileTokens(TestApp.hmacSecret(keyFile),
                                                           TestApp.activeKey(keyFile).getString("kid"), jti, now);

    VerifiedTokenCacheTest() {
        activeUsers.add("alice");
    }

    private AccessTokenVerifier rule(int cacheSize) {
        return new AccessTokenVerifier(keys, SETTINGS, revoked,
                                       (TokenSubjects) claims -> activeUsers.contains(claims.subject()), clock,
                                       cacheSize);
    }

    @Test
    void aTokenIsVerifiedOnceAndThenServedFromTheCache() {
        AccessTokenVerifier rule = rule(100);
        String token = tokens.valid();
        AccessTokenClaims first = rule.verify(token).orElseThrow();
        assertThat(rule.cachedTokens(), is(1));
        // the very claims of the first check: no second parse, no second signature check
        assertThat(rule.verify(token).orElseThrow(), sameInstance(first));
        assertThat(rule.verify(token).orElseThrow(), sameInstance(first));
        assertThat(rule.cachedTokens(), is(1));
    }

    @Test
    void withoutACacheEveryCheckVerifiesAgain() {
        AccessTokenVerifier rule = rule(0);
        String token = tokens.valid();
        AccessTokenClaims first = rule.verify(token).orElseThrow();
        assertThat(rule.verify(token).orElseThrow(), not(sameInstance(first)));
        assertThat(rule.cachedTokens(), is(0));
    }

    @Test
    void aRevokedTokenIsRefusedOnTheNextCheckThoughCached() {
        AccessTokenVerifier rule = rule(100);
        String token = tokens.valid();
        rule.verify(token).orElseThrow();
        revoked.revoke(jti, now.plusSeconds(300));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("revoked")));
    }

    @Test
    void aDisabledOrRemovedUserIsRefusedOnTheNextCheckThoughCached() {
        AccessTokenVerifier rule = rule(100);
        String token = tokens.valid();
        rule.verify(token).orElseThrow();
        activeUsers.remove("alice");
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("subject removed or disabled")));
        activeUsers.add("alice");
        assertThat(rule.verify(token).isPresent(), is(true));
    }

    @Test
    void aRemovedKeyIsRefusedOnTheNextCheckThoughCached() {
        AccessTokenVerifier rule = rule(100);
        String token = tokens.valid();
        rule.verify(token).orElseThrow();
        // a new key set without the key that signed the token
        KeyRing.generate(keyFile, "HS256");
        assertThat(keys.reload(), is(true));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("unknown key or algorithm")));
    }

    @Test
    void aCachedTokenStillExpiresAtExp() {
        AccessTokenVerifier rule = rule(100);
        String token = tokens.valid();
        clock.advance(Duration.ofSeconds(299));
        assertThat(rule.verify(token).isPresent(), is(true));
        clock.advance(Duration.ofSeconds(1));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("expired")));
        assertThat("an expired token leaves the cache", rule.cachedTokens(), is(0));
    }

    @Test
    void onlyTokensWithAGoodSignatureAndClaimsAreCached() {
        AccessTokenVerifier rule = rule(100);
        long wellSigned = tokens.refused().values().stream()
                .map(rule::signedClaims)
                .filter(result -> result instanceof AccessTokenVerifier.Result.Valid valid
                        && valid.claims().expiresAt().isAfter(now))
                .count();
        tokens.refused().values().forEach(token -> assertThat(rule.check(token),
                                                             instanceOf(AccessTokenVerifier.Result.Refused.class)));
        // those refused for the time (but not yet expired) or the subject are kept: those checks run on every use
        assertThat(wellSigned < tokens.refused().size() - 60, is(true));
        assertThat((long) rule.cachedTokens(), is(wellSigned));
    }

    @Test
    void theCacheIsBoundedAndAFullCacheStillVerifies() {
        AccessTokenVerifier rule = rule(2);
        for (int i = 0; i < 5; i++) {
            HostileTokens other = new HostileTokens(TestApp.hmacSecret(keyFile),
                                                    TestApp.activeKey(keyFile).getString("kid"),
                                                    UUID.randomUUID().toString(), now);
            assertThat(rule.verify(other.valid()).isPresent(), is(true));
        }
        assertThat(rule.cachedTokens(), is(2));
    }
}
