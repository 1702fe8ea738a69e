package dev.tokenservice.resource;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.token.AccessTokenClaims;

import io.helidon.common.context.Context;
import io.helidon.security.Principal;
import io.helidon.security.SecurityContext;
import io.helidon.security.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

/**
 * The one bearer path: a Helidon security context of its own for every request, never shared, authenticated with
 * the subject Helidon's JWT provider built; the signature of a token checked once, with public keys only; and every
 * check of a use (revocation, the user's state, the key set) applied on the very next request, whether the token
 * was seen before or not, and whether later requests skip the provider chain or not.
 */
class BearerAuthenticationTest {
    private final BearerFixture fixture = new BearerFixture("RS256");

    private BearerAuthentication authentication(boolean authenticateEveryRequest) {
        return fixture.authentication(new AuthenticatedTokens(1 << 20, fixture.clock), authenticateEveryRequest);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theRequestsContextIsAuthenticatedWithTheSubjectOfHelidonsJwtProvider(boolean everyRequest) {
        BearerAuthentication authentication = authentication(everyRequest);
        String token = fixture.token();
        for (int request = 0; request < 3; request++) {
            SecurityContext context = BearerFixture.request(authentication, token);
            assertThat(context.isAuthenticated(), is(true));
            Subject user = context.user().orElseThrow();
            // as Helidon's JWT provider names it: preferred_username, else sub
            assertThat(user.principal().getName(), is("alice"));
            assertThat(user.principal().id(), is("alice"));
            assertThat(context.userName(), is("alice"));
            assertThat(user.grantsByType("scope").stream().map(grant -> grant.getName()).sorted().toList(),
                       is(List.of("items", "me")));
            AccessTokenClaims claims = user.publicCredential(AccessTokenClaims.class).orElseThrow();
            assertThat(claims.subject(), is("alice"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void concurrentRequestsWithOneTokenGetContextsOfTheirOwn(boolean everyRequest) throws Exception {
        BearerAuthentication authentication = authentication(everyRequest);
        String token = fixture.token();
        int requests = 64;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SecurityContext>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < requests; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return BearerFixture.request(authentication, token);
                }));
            }
            start.countDown();
        }
        Set<SecurityContext> contexts = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Subject> subjects = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Future<SecurityContext> future : futures) {
            SecurityContext context = future.get();
            assertThat(context.isAuthenticated(), is(true));
            contexts.add(context);
            subjects.add(context.user().orElseThrow());
        }
        assertThat(contexts.size(), is(requests));
        assertThat(subjects.size(), is(requests));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void whatOneRequestDoesToItsContextNoOtherRequestSees(boolean everyRequest) {
        BearerAuthentication authentication = authentication(everyRequest);
        String token = fixture.token();
        SecurityContext first = BearerFixture.request(authentication, token);
        SecurityContext second = BearerFixture.request(authentication, token);
        assertThat(second, not(sameInstance(first)));

        first.authorize();
        assertThat(first.atzChecked(), is(true));
        assertThat(second.atzChecked(), is(false));

        Subject mallory = Subject.create(Principal.create("mallory"));
        first.runAs(mallory, () -> {
            assertThat(first.userName(), is("mallory"));
            assertThat(second.userName(), is("alice"));
            assertThat(BearerFixture.request(authentication, token).userName(), is("alice"));
        });

        first.logout();
        assertThat(first.isAuthenticated(), is(false));
        assertThat(second.isAuthenticated(), is(true));
        assertThat(BearerFixture.request(authentication, token).isAuthenticated(), is(true));
    }

    @ParameterizedTest(name = "seen before: {0}, every request through Helidon Security: {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void aRevokedTokenIsRefusedOnTheVeryNextRequest(boolean seen, boolean everyRequest) {
        refusedOnTheNextRequest(seen, everyRequest,
                                claims -> fixture.revoked.revoke(claims.jti(), claims.expiresAt()));
    }

    @ParameterizedTest(name = "seen before: {0}, every request through Helidon Security: {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void aDisabledUsersTokenIsRefusedOnTheVeryNextRequest(boolean seen, boolean everyRequest) {
        refusedOnTheNextRequest(seen, everyRequest, claims -> fixture.activeUsers.remove("alice"));
    }

    @ParameterizedTest(name = "seen before: {0}, every request through Helidon Security: {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void aTokenOfARemovedKeyIsRefusedOnTheVeryNextRequest(boolean seen, boolean everyRequest) {
        refusedOnTheNextRequest(seen, everyRequest, claims -> {
            // a new key set without the key that signed the token
            KeyRing.generate(fixture.keyFile, "RS256");
            assertThat(fixture.keys.reload(), is(true));
        });
    }

    @ParameterizedTest(name = "seen before: {0}, every request through Helidon Security: {1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void anExpiredTokenIsRefusedOnTheVeryNextRequest(boolean seen, boolean everyRequest) {
        refusedOnTheNextRequest(seen, everyRequest,
                                claims -> fixture.clock.advance(BearerFixture.SETTINGS.validity()));
    }

    private void refusedOnTheNextRequest(boolean seen, boolean everyRequest, Consumer<AccessTokenClaims> change) {
        BearerAuthentication authentication = authentication(everyRequest);
        String token = fixture.token();
        AccessTokenClaims claims = authentication.verify(token).orElseThrow();
        if (seen) {
            assertThat(BearerFixture.request(authentication, token).isAuthenticated(), is(true));
        } else {
            // another bearer path, whose cache never saw the token
            authentication = authentication(everyRequest);
        }
        change.accept(claims);
        SecurityContext next = BearerFixture.request(authentication, token);
        assertThat(next.isAuthenticated(), is(false));
        assertThat(BearerAuthentication.claims(next), is(Optional.empty()));
        assertThat(authentication.verify(token), is(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256"})
    void theVerifierHoldsNoPrivateKey(String algorithm) {
        BearerFixture keys = new BearerFixture(algorithm);
        AuthenticatedTokens cache = new AuthenticatedTokens(1 << 20, keys.clock);
        AccessTokenProvider provider = AccessTokenProvider.create(
                dev.tokenservice.TestApp.config(java.util.Map.of()).get("security"), keys.rule, cache);
        String token = keys.token();
        Context context = Context.create();
        new BearerAuthentication(provider, false).authenticate("Bearer " + token, "/users/me", context);
        assertThat(cache.get(token, keys.rule.keys()) != null, is(true));
        // the signer does hold one, so that this check can tell
        assertThat(Footprint.holds(keys.keys, PrivateKey.class), is(true));
        assertThat(Footprint.holds(keys.rule, PrivateKey.class), is(false));
        assertThat(Footprint.holds(provider, PrivateKey.class), is(false));
    }

    @Test
    void aTokenTheRuleRefusesLeavesTheContextUnauthenticated() {
        BearerAuthentication authentication = authentication(false);
        String token = fixture.token();
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(BearerFixture.request(authentication, forged).isAuthenticated(), is(false));
        assertThat(BearerFixture.request(authentication, token).isAuthenticated(), is(true));
        assertThat(BearerFixture.request(authentication, forged).isAuthenticated(), is(false));
    }
}
