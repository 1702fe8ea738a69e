package dev.tokenservice.token;

import java.util.Optional;
import java.util.Set;

import dev.tokenservice.clients.Client;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.protection.LoginProtection;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.IssuedRefreshToken;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.users.PasswordHasher;
import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;

/**
 * The resource owner password credentials grant, RFC 6749 §4.3.
 * <p>
 * Every refused login — unknown user, wrong password, disabled user, password too long for bcrypt — gets the
 * same {@code invalid_grant} answer after one bcrypt check, so neither the answer nor its time tells whether
 * the username exists.
 * <p>
 * The scopes granted are those asked for (all when none are) that both the user and the client may have. A client
 * allowed the {@code refresh_token} grant also gets a refresh token, which starts a new refresh token family.
 */
public record PasswordGrant(UserStore users, PasswordHasher hasher, Scopes scopes, TokenService tokens,
                            RefreshTokenStore refreshTokens, LoginProtection protection, SecurityEvents events)
        implements TokenGrant {
    private static final String BAD_CREDENTIALS = "Incorrect username or password";

    /** A grant that reports no event. */
    public PasswordGrant(UserStore users, PasswordHasher hasher, Scopes scopes, TokenService tokens,
                         RefreshTokenStore refreshTokens, LoginProtection protection) {
        this(users, hasher, scopes, tokens, refreshTokens, protection, SecurityEvents.NONE);
    }

    @Override
    public String grantType() {
        return GrantTypes.PASSWORD;
    }

    @Override
    public TokenResponse grant(TokenRequest request, Client client) {
        String username = request.required("username");
        String password = request.required("password");
        try {
            protection.admit(LoginProtection.Kind.USER, username, request.clientAddress());
        } catch (OAuthError e) {
            events.emit(login(Reasons.THROTTLED, username, client, request)
                                .retryAfter(e.retryAfter().orElse(0)).build());
            throw e;
        }
        Login login = authenticate(username, password);
        if (login.user().isEmpty()) {
            protection.failed(LoginProtection.Kind.USER, username, request.clientAddress());
            events.emit(login(login.refusal(), username, client, request).build());
            throw OAuthError.invalidGrant(BAD_CREDENTIALS);
        }
        protection.succeeded(LoginProtection.Kind.USER, username);
        User user = login.user().get();

        // no scope asked means everything the user and the client may have
        Set<String> granted;
        try {
            granted = scopes.grant(request.optional("scope"), user.scopes(), user.scopes(), client.scopes());
        } catch (OAuthError e) {
            events.emit(login(Reasons.INVALID_SCOPE, user.username(), client, request).build());
            throw e;
        }
        AccessTokenId id = tokens.newId();
        if (!client.allows(GrantTypes.REFRESH_TOKEN)) {
            TokenResponse response = new TokenResponse(tokens.issue(id, user.username(), client.id(), granted), null);
            events.emit(SecurityEvent.success(EventTypes.LOGIN).username(user.username()).clientId(client.id())
                                .address(request.clientAddress()).jti(id.jti()).build());
            return response;
        }
        // one store operation, one transaction: the family starts with this access token recorded under it
        IssuedRefreshToken refreshToken = refreshTokens.issue(user.username(), client.id(), granted, id);
        TokenResponse response = new TokenResponse(tokens.issue(id, user.username(), client.id(), granted),
                                                   refreshToken.token());
        events.emit(SecurityEvent.success(EventTypes.LOGIN).username(user.username()).clientId(client.id())
                            .address(request.clientAddress()).sessionId(refreshToken.session().familyId())
                            .jti(id.jti()).build());
        refreshToken.capped().forEach(session -> events.emit(
                SecurityEvent.success(EventTypes.REVOCATION).reason(Reasons.SESSION_CAP).username(user.username())
                        .address(request.clientAddress()).sessionId(session).build()));
        return response;
    }

    private static SecurityEvent.Builder login(String reason, String username, Client client, TokenRequest request) {
        return SecurityEvent.failure(EventTypes.LOGIN, reason).username(username).clientId(client.id())
                .address(request.clientAddress());
    }

    private Login authenticate(String username, String password) {
        Optional<User> user = users.find(username);
        if (user.isEmpty()) {
            hasher.matchNothing(password);
            return new Login(Optional.empty(), Reasons.UNKNOWN_USER);
        }
        boolean matches = hasher.matches(password, user.get().passwordHash());
        if (!matches) {
            return new Login(Optional.empty(), Reasons.WRONG_PASSWORD);
        }
        return user.get().active() ? new Login(user, null) : new Login(Optional.empty(), Reasons.DISABLED_USER);
    }

    /** The user a password authenticates, or why none. */
    private record Login(Optional<User> user, String refusal) {
    }
}
