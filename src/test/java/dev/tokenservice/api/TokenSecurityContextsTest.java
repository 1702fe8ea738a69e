package dev.tokenservice.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.HostileTokens;
import dev.tokenservice.TestApp;
import dev.tokenservice.TestClock;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.sessions.InMemoryRevokedTokens;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.token.TokenSettings;
import dev.tokenservice.token.TokenSubjects;

import io.helidon.common.context.Context;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

/**
 * The security context of a token: made and authenticated by Helidon Security for the token's first request, reused
 * for its later ones, and never for a request after the token was revoked, its user disabled, its key removed or
 * its time over, not even the very next one.
 */
class TokenSecurityContextsTest {
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
    private final String token = new HostileTokens(TestApp.hmacSecret(keyFile),
                                                   TestApp.activeKey(keyFile).getString("kid"), jti, now).valid();

    TokenSecurityContextsTest() {
        activeUsers.add("alice");
    }

    private TokenSecurityContexts contexts(int cacheSize) {
        AccessTokenVerifier rule = new AccessTokenVerifier(
                keys, SETTINGS, revoked, (TokenSubjects) claims -> activeUsers.contains(claims.subject()), clock,
                cacheSize);
        Config security = Config.just(ConfigSources.create(Map.of(
                "providers.0.jwt.atn-token.jwt-audience", "test-api",
                "providers.0.jwt.atn-token.verify-signature", "true",
                "providers.0.jwt.allow-unsigned", "false")));
        return new TokenSecurityContexts(Security.builder()
                                                 .addAuthenticationProvider(AccessTokenProvider.create(
                                                         security, keys, SETTINGS, rule), "jwt")
                                                 .build(),
                                         rule, SETTINGS, cacheSize);
    }

    /** One request with the token: its claims, and the context it registered. */
    private record Request(Optional<AccessTokenClaims> claims, SecurityContext context) {
        static Request send(TokenSecurityContexts contexts, String authorization) {
            Context requestContext = Context.create();
            Optional<AccessTokenClaims> claims = contexts.authenticate(authorization, requestContext);
            return new Request(claims, requestContext.get(SecurityContext.class).orElseThrow());
        }
    }

    @Test
    void theFirstRequestIsAuthenticatedByHelidonAndLaterOnesReuseItsContext() {
        TokenSecurityContexts contexts = contexts(100);
        Request first = Request.send(contexts, "Bearer " + token);
        assertThat(first.claims().orElseThrow().subject(), is("alice"));
        assertThat(first.context().isAuthenticated(), is(true));
        // the subject Helidon's JWT provider built from the token
        assertThat(first.context().user().orElseThrow().principal().getName(), is("alice"));

        Request second = Request.send(contexts, "bearer " + token);
        assertThat(second.context(), sameInstance(first.context()));
        assertThat(second.claims().orElseThrow(), sameInstance(first.claims().orElseThrow()));
    }

    @Test
    void withoutACacheEveryRequestIsAuthenticatedAnew() {
        TokenSecurityContexts contexts = contexts(0);
        Request first = Request.send(contexts, "Bearer " + token);
        Request second = Request.send(contexts, "Bearer " + token);
        assertThat(second.claims().isPresent(), is(true));
        assertThat(second.context(), not(sameInstance(first.context())));
    }

    @Test
    void aRevokedTokenIsRefusedOnTheVeryNextRequest() {
        TokenSecurityContexts contexts = contexts(100);
        Request.send(contexts, "Bearer " + token).claims().orElseThrow();
        revoked.revoke(jti, now.plusSeconds(300));
        assertRefused(Request.send(contexts, "Bearer " + token));
    }

    @Test
    void aDisabledUserIsRefusedOnTheVeryNextRequestAndAcceptedWhenEnabledAgain() {
        TokenSecurityContexts contexts = contexts(100);
        Request.send(contexts, "Bearer " + token).claims().orElseThrow();
        activeUsers.remove("alice");
        assertRefused(Request.send(contexts, "Bearer " + token));
        activeUsers.add("alice");
        assertThat(Request.send(contexts, "Bearer " + token).claims().isPresent(), is(true));
    }

    @Test
    void aRemovedKeyIsRefusedOnTheVeryNextRequest() {
        TokenSecurityContexts contexts = contexts(100);
        Request.send(contexts, "Bearer " + token).claims().orElseThrow();
        // a new key set without the key that signed the token
        KeyRing.generate(keyFile, "HS256");
        assertThat(keys.reload(), is(true));
        assertRefused(Request.send(contexts, "Bearer " + token));
    }

    @Test
    void anExpiredTokenIsRefusedThoughItsContextIsKept() {
        TokenSecurityContexts contexts = contexts(100);
        Request.send(contexts, "Bearer " + token).claims().orElseThrow();
        clock.advance(Duration.ofSeconds(300));
        assertRefused(Request.send(contexts, "Bearer " + token));
    }

    @Test
    void aForgedTokenGetsNoContextOfTheRealOne() {
        TokenSecurityContexts contexts = contexts(100);
        Request.send(contexts, "Bearer " + token).claims().orElseThrow();
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertRefused(Request.send(contexts, "Bearer " + forged));
    }

    private static void assertRefused(Request request) {
        assertThat(request.claims().isPresent(), is(false));
        assertThat(request.context().isAuthenticated(), is(false));
    }
}
