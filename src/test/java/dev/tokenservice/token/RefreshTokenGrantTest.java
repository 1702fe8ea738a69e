package dev.tokenservice.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.TestApp;
import dev.tokenservice.clients.Client;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.IssuedRefreshToken;
import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.memory.InMemoryRefreshTokenStore;
import dev.tokenservice.store.memory.InMemoryRevokedTokens;
import dev.tokenservice.users.User;

import io.helidon.common.parameters.Parameters;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The refresh grant against a user store that changes while sessions live, as a database-backed one would: a
 * user disabled or removed since the login cannot refresh, and the session ends.
 */
class RefreshTokenGrantTest {
    private static final Client CLIENT = new Client("app", Client.Type.PUBLIC, null,
                                                    Set.of("password", "refresh_token"), Set.of("me", "items"), false);
    private static final AccessTokenId LOGIN_ACCESS_TOKEN = new AccessTokenId("login",
                                                                              Instant.now().plusSeconds(1800));

    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore(
            new RefreshTokenSettings(Duration.ofHours(1), Duration.ofHours(2)),
            new InMemoryRevokedTokens(Clock.systemUTC(), Duration.ofSeconds(5)), Clock.systemUTC());
    private final RefreshTokenGrant grant;

    RefreshTokenGrantTest() {
        Config app = TestApp.config(Map.of("app.keys.file", TestApp.newKeyFile().toString())).get("app");
        Scopes scopes = Scopes.create(app.get("scopes"));
        TokenService tokens = new TokenService(KeyRing.load(app.get("keys")), TokenSettings.create(app.get("token")),
                                               scopes, Clock.systemUTC());
        grant = new RefreshTokenGrant(name -> Optional.ofNullable(users.get(name)), scopes, tokens, store);
    }

    @Test
    void userDisabledSinceTheLoginCannotRefresh() {
        users.put("alice", user(false));
        IssuedRefreshToken login = store.issue("alice", "app", Set.of("me", "items"), LOGIN_ACCESS_TOKEN);
        String next = grant.grant(request(login.token()), CLIENT).refreshToken();

        users.put("alice", user(true));
        assertInvalidGrant(next);
        // the session is over: enabling the user again does not bring it back
        users.put("alice", user(false));
        assertInvalidGrant(next);
    }

    @Test
    void userRemovedSinceTheLoginCannotRefresh() {
        users.put("alice", user(false));
        IssuedRefreshToken login = store.issue("alice", "app", Set.of("me", "items"), LOGIN_ACCESS_TOKEN);
        users.remove("alice");
        assertInvalidGrant(login.token());
    }

    @Test
    void scopesTheUserHasLostAreLeftOut() {
        users.put("alice", user(false));
        IssuedRefreshToken login = store.issue("alice", "app", Set.of("me", "items"), LOGIN_ACCESS_TOKEN);
        users.put("alice", new User("alice", "Alice", null, "x", false, Set.of("me")));
        assertThat(grant.grant(request(login.token()), CLIENT).accessToken().scope(), is("me"));
    }

    @Test
    void askingOnlyForScopesTheUserHasLostIsInvalidScopeAndEndsTheSession() {
        users.put("alice", user(false));
        IssuedRefreshToken login = store.issue("alice", "app", Set.of("me", "items"), LOGIN_ACCESS_TOKEN);
        users.put("alice", new User("alice", "Alice", null, "x", false, Set.of("me")));
        OAuthError e = assertThrows(OAuthError.class, () -> grant.grant(request(login.token(), "items"), CLIENT));
        assertThat(e.error(), is("invalid_scope"));
        assertThat(store.find(login.token()).isPresent(), is(false));
    }

    @Test
    void askingOnlyForScopesTheClientMayNotHaveLeavesTheRefreshTokenUnused() {
        users.put("alice", user(false));
        IssuedRefreshToken login = store.issue("alice", "app", Set.of("me", "items"), LOGIN_ACCESS_TOKEN);
        Client meOnly = new Client("app", Client.Type.PUBLIC, null, Set.of("password", "refresh_token"), Set.of("me"),
                                   false);
        OAuthError e = assertThrows(OAuthError.class, () -> grant.grant(request(login.token(), "items"), meOnly));
        assertThat(e.error(), is("invalid_scope"));
        // still the current token of a live session
        assertThat(grant.grant(request(login.token()), CLIENT).accessToken().scope(), is("me items"));
    }

    private void assertInvalidGrant(String refreshToken) {
        OAuthError e = assertThrows(OAuthError.class, () -> grant.grant(request(refreshToken), CLIENT));
        assertThat(e.error(), is("invalid_grant"));
    }

    private static User user(boolean disabled) {
        return new User("alice", "Alice", null, "x", disabled, Set.of("me", "items"));
    }

    private static TokenRequest request(String refreshToken) {
        return TokenRequest.of(Parameters.builder("form")
                                       .add("grant_type", "refresh_token")
                                       .add("refresh_token", refreshToken)
                                       .build(), "192.0.2.1");
    }

    private static TokenRequest request(String refreshToken, String scope) {
        return TokenRequest.of(Parameters.builder("form")
                                       .add("grant_type", "refresh_token")
                                       .add("refresh_token", refreshToken)
                                       .add("scope", scope)
                                       .build(), "192.0.2.1");
    }
}
