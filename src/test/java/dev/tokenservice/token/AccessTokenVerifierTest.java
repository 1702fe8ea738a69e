package dev.tokenservice.token;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tokenservice.Forge;
import dev.tokenservice.HostileTokens;
import dev.tokenservice.TestApp;
import dev.tokenservice.TestClock;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.store.memory.InMemoryRevokedTokens;

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
    private final KeyRing keys = KeyRing.load(TestApp.section(
            "app.keys", Map.of("file", keyFile.toString(), "generate", "true", "algorithm", "HS256")));
    private final Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    private final TestClock clock = new TestClock(now);
    private final InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, TokenSettings.CLOCK_SKEW);
    private final AccessTokenVerifier rule = new AccessTokenVerifier(
            keys.publicKeys(), new TokenSettings("https://auth.test", "test-api", Duration.ofMinutes(30), "at+jwt"), revoked,
            (TokenSubjects) claims -> ACTIVE_USERS.contains(claims.subject()), clock);
    private final String jti = UUID.randomUUID().toString();
    private final HostileTokens tokens = new HostileTokens(TestApp.hmacSecret(keyFile),
                                                           TestApp.activeKey(keyFile).getString("kid"), jti, now);

    @Test
    void acceptsAValidTokenAndReadsItsClaims() {
        AccessTokenClaims claims = verify(rule, tokens.valid()).orElseThrow();
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
    void refusesEveryHostileTokenButThoseOnlyHelidonsJwtLibraryCannotRead() {
        Map<String, String> refused = tokens.refused();
        assertThat(refused.size() > 70, is(true));
        refused.forEach((name, token) -> assertThat(name, rule.check(token) instanceof AccessTokenVerifier.Result.Refused,
                                                    is(!HostileTokens.UNREADABLE_BY_HELIDON.contains(name))));
    }

    @Test
    void refusalsQuoteNothingOfTheToken() {
        tokens.refused().forEach((name, token) -> {
            if (rule.check(token) instanceof AccessTokenVerifier.Result.Refused refused) {
                assertThat(name + ": " + refused.reason(), refused.reason().matches("[A-Za-z0-9 ,:]+"), is(true));
            }
        });
    }

    @Test
    void refusesARevokedToken() {
        String token = tokens.valid();
        assertThat(verify(rule, token).isPresent(), is(true));
        revoked.revoke(jti, now.plusSeconds(300));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("revoked")));
    }

    @Test
    void expiresAtExpWithNoLeeway() {
        String token = tokens.valid();
        clock.advance(Duration.ofSeconds(299));
        assertThat(verify(rule, token).isPresent(), is(true));
        clock.advance(Duration.ofSeconds(1));
        assertThat(rule.check(token), is(new AccessTokenVerifier.Result.Refused("expired")));
    }

    @Test
    void issueTimeMayBeAheadByTheClockSkewOnly() {
        String token = tokens.valid();
        clock.advance(TokenSettings.CLOCK_SKEW.negated());
        assertThat(verify(rule, token).isPresent(), is(true));
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
        assertThat(verify(rule, issued).orElseThrow().subject(), is("dave"));
    }

    @Test
    void tellsAClientsOwnTokenFromAUsersByItsMarkerOnly() {
        TokenService service = new TokenService(keys, new TokenSettings("https://auth.test", "test-api",
                                                                        Duration.ofMinutes(30), "at+jwt"),
                                                Scopes.create(Config.just(ConfigSources.create(
                                                        Map.of("me", "x", "items", "y")))), clock);
        AccessTokenVerifier anySubject = new AccessTokenVerifier(
                keys.publicKeys(), new TokenSettings("https://auth.test", "test-api", Duration.ofMinutes(30), "at+jwt"), revoked,
                (TokenSubjects) claims -> true, clock);
        AccessTokenClaims client = verify(anySubject, service.issueToClient("svc", Set.of("items")).token())
                .orElseThrow();
        assertThat(client.clientToken(), is(true));
        assertThat(client.caller(), is("client:svc"));
        // a user whose sub equals its client_id is still a user: names are never compared
        AccessTokenClaims user = verify(anySubject, service.issue("svc", "svc", Set.of("items")).token())
                .orElseThrow();
        assertThat(user.clientToken(), is(false));
        assertThat(user.caller(), is("svc"));

        byte[] secret = TestApp.hmacSecret(keyFile);
        String kid = TestApp.activeKey(keyFile).getString("kid");
        Map<String, com.nimbusds.jwt.JWTClaimsSet> refused = Map.of(
                "other gty", Forge.clientClaims("svc").claim("gty", "password").build(),
                "gty not a string", Forge.clientClaims("svc").claim("gty", 1).build(),
                "sub is not client_id", Forge.clientClaims("svc").subject("alice").build(),
                "no client_id", new com.nimbusds.jwt.JWTClaimsSet.Builder(Forge.clientClaims("svc").build())
                        .claim("client_id", null).build());
        refused.forEach((name, claims) -> assertThat(
                name, anySubject.check(Forge.hs256(secret, kid, claims)),
                is(new AccessTokenVerifier.Result.Refused("neither a user's token nor a client's own"))));
    }

    @Test
    void subjectsAreUsersForUsersTokensAndClientsForClientsOwn() {
        Config app = TestApp.config(Map.of()).get("app");
        Set<String> scopes = Set.of("me", "items");
        TokenSubjects subjects = TokenSubjects.of(
                dev.tokenservice.users.ConfigUserStore.create(app, scopes, 4),
                dev.tokenservice.clients.ConfigClientStore.create(
                        app, Set.of("password", "refresh_token", "client_credentials"), scopes, 4));
        // test-service is both a user and a client; test-batch a client only; alice a user only
        assertThat(subjects.active(claims("test-service", true)), is(true));
        assertThat(subjects.active(claims("test-service", false)), is(true));
        assertThat(subjects.active(claims("test-batch", true)), is(true));
        assertThat(subjects.active(claims("test-batch", false)), is(false));
        assertThat(subjects.active(claims("alice", true)), is(false));
        assertThat(subjects.active(claims("alice", false)), is(true));
        // a client that may no longer use the grant, a public client, an unknown one
        assertThat(subjects.active(claims("test-confidential", true)), is(false));
        assertThat(subjects.active(claims("test-public", true)), is(false));
        assertThat(subjects.active(claims("gone", true)), is(false));
        // users alone know no client's own token
        assertThat(TokenSubjects.users(dev.tokenservice.users.ConfigUserStore.create(app, scopes, 4))
                           .active(claims("test-service", true)), is(false));
    }

    private static java.util.Optional<AccessTokenClaims> verify(AccessTokenVerifier rule, String token) {
        return rule.check(token) instanceof AccessTokenVerifier.Result.Valid valid ? java.util.Optional.of(valid.claims())
                : java.util.Optional.empty();
    }

    private AccessTokenClaims claims(String subject, boolean clientToken) {
        return new AccessTokenClaims(subject, clientToken ? subject : "test-public", "items", now,
                                     now.plusSeconds(60), "https://auth.test", java.util.List.of("test-api"), jti,
                                     null, clientToken);
    }
}
