package dev.tokenservice.token;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

/**
 * The access token rule on its own: every refusal of the catalogue, and what it must still accept.
 */
class AccessTokenVerifierTest {
    private static final Set<String> ACTIVE_USERS = Set.of("alice", "bob", "dave");

    private final Path keyFile = TestApp.newKeyFile();
    private final KeyRing keys = KeyRing.load(Config.just(ConfigSources.create(
            Map.of("file", keyFile.toString(), "generate", "true", "algorithm", "HS256"))));
    private final Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    private final TestClock clock = new TestClock(now);
    private final InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, TokenSettings.CLOCK_SKEW);
    private final AccessTokenVerifier rule = new AccessTokenVerifier(
            keys, new TokenSettings("https://auth.test", "test-api", Duration.ofMinutes(30), "at+jwt"), revoked,
            (TokenSubjects) claims -> ACTIVE_USERS.contains(claims.subject()), clock);
    private final String jti = UUID.randomUUID().toString();
    private final HostileTokens tokens = new HostileTokens(TestApp.hmacSecret(keyFile),
                                                           TestApp.activeKey(keyFile).getString("kid"), jti, now);

    @Test
    void acceptsAValidTokenAndReadsItsClaims() {
        AccessTokenClaims claims = rule.verify(tokens.valid()).orElseThrow();
        assertThat(claims.subject(), is("alice"));
        assertThat(claims.clientId(), is("test-public"));
        assertThat(claims.scopes(), is(Set.of("me", "items")));
        assertThat(claims.jti(), is(jti));
        assertThat(claims.issuedAt(), is(now));
        assertThat(claims.expiresAt(), is(now.plusSeconds(300)));
        assertThat(claims.audience(), is(java.util.List.of("test-api")));
    }

    @Test
    void acceptsUnusualButValidTokens() {
        tokens.accepted().forEach((name, token) -> assertThat(name, rule.check(token),
                                                              instanceOf(AccessTokenVerifier.Result.Valid.class)));
    }

    @Test
    void refusesEveryHostileToken() {
        Map<String, String> refused = tokens.refused();
        assertThat(refused.size() > 70, is(true));
        refused.forEach((name, token) -> assertThat(name, rule.check(token),
                                                    instanceOf(AccessTokenVerifier.Result.Refused.class)));
    }

    @Test
    void refusalsQuoteNothingOfTheToken() {
        tokens.refused().forEach((name, token) -> {
            String reason = ((AccessTokenVerifier.Result.Refused) rule.check(token)).reason();
            assertThat(name + ": " + reason, reason.matches("[A-Za-z0-9 ,:]+"), is(true));
        });
    }

    @Test
    void refusesARevokedToken() {
        String token = tokens.valid();
        assertThat(rule.verify(token).isPresent(), is(true));
        revoked.revoke(jti, now.plusSeconds(300));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("revoked")));
    }

    @Test
    void expiresAtExpWithNoLeeway() {
        String token = tokens.valid();
        clock.advance(Duration.ofSeconds(299));
        assertThat(rule.verify(token).isPresent(), is(true));
        clock.advance(Duration.ofSeconds(1));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("expired")));
    }

    @Test
    void issueTimeMayBeAheadByTheClockSkewOnly() {
        String token = tokens.valid();
        clock.advance(TokenSettings.CLOCK_SKEW.negated());
        assertThat(rule.verify(token).isPresent(), is(true));
        clock.advance(Duration.ofSeconds(-1));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("not valid yet")));
    }

    @Test
    void tokensOfAnIssuedKeyRingAreAccepted() {
        TokenService service = new TokenService(keys, new TokenSettings("https://auth.test", "test-api",
                                                                        Duration.ofMinutes(30), "at+jwt"),
                                                Scopes.create(Config.just(ConfigSources.create(
                                                        Map.of("me", "x", "items", "y")))), clock);
        String issued = service.issue("dave", "test-public", Set.of("me")).token();
        assertThat(rule.verify(issued).orElseThrow().subject(), is("dave"));
    }
}
