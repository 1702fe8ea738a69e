package dev.tokenservice.resource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.TestApp;
import dev.tokenservice.TestClock;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.store.memory.InMemoryRevokedTokens;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.token.Scopes;
import dev.tokenservice.token.TokenService;
import dev.tokenservice.token.TokenSettings;
import dev.tokenservice.token.TokenSubjects;

import io.helidon.common.context.Context;
import io.helidon.security.SecurityContext;

/**
 * The bearer path on its own, over a key ring of the given algorithm, with a test clock, revocations and a set of
 * active users that a test changes by hand; the security configuration is the shipped one.
 */
final class BearerFixture {
    static final TokenSettings SETTINGS = new TokenSettings("https://auth.test", "test-api",
                                                            Duration.ofMinutes(30), "at+jwt");

    final Path keyFile = TestApp.newKeyFile();
    final KeyRing keys;
    final TestClock clock = new TestClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    final InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, TokenSettings.CLOCK_SKEW);
    final Set<String> activeUsers = ConcurrentHashMap.newKeySet();
    final AccessTokenVerifier rule;
    final TokenService tokens;

    BearerFixture(String algorithm) {
        keys = KeyRing.load(TestApp.section("app.keys", Map.of(
                "file", keyFile.toString(), "generate", "true", "algorithm", algorithm, "reload-interval", "PT0S")));
        // a local, not the field: a lambda that read the field would hold this fixture, and so the key ring
        Set<String> active = activeUsers;
        rule = new AccessTokenVerifier(keys.publicKeys(), SETTINGS, revoked,
                                       (TokenSubjects) claims -> active.contains(claims.subject()), clock);
        tokens = new TokenService(keys, SETTINGS, Scopes.create(TestApp.config(Map.of()).get("app.scopes")), clock);
        activeUsers.add("alice");
    }

    /**
     * A token of alice.
     *
     * @return token
     */
    String token() {
        return tokens.issue("alice", "public-client", Set.of("me", "items")).token();
    }

    /**
     * The bearer path with the shipped {@code security} configuration.
     *
     * @param cache                    where verified tokens are kept
     * @param authenticateEveryRequest whether every request goes through Helidon Security's authentication
     * @return bearer path
     */
    BearerAuthentication authentication(AuthenticatedTokens cache, boolean authenticateEveryRequest) {
        return new BearerAuthentication(AccessTokenProvider.create(TestApp.config(Map.of()).get("security"),
                                                                   rule, cache),
                                        authenticateEveryRequest);
    }

    /** One request with a token: the context it registered. */
    static SecurityContext request(BearerAuthentication authentication, String token) {
        Context requestContext = Context.create();
        authentication.authenticate("Bearer " + token, "/users/me", requestContext);
        return requestContext.get(SecurityContext.class).orElseThrow();
    }
}
