package dev.tokenservice.token;

import java.util.Optional;
import java.util.Set;

import dev.tokenservice.clients.Client;
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
                            RefreshTokenStore refreshTokens, LoginProtection protection) implements TokenGrant {
    private static final String BAD_CREDENTIALS = "Incorrect username or password";

    @Override
    public String grantType() {
        return GrantTypes.PASSWORD;
    }

    @Override
    public TokenResponse grant(TokenRequest request, Client client) {
        String username = request.required("username");
        String password = request.required("password");
        protection.admit(LoginProtection.Kind.USER, username, request.clientAddress());
        Optional<User> authenticated = authenticate(username, password);
        if (authenticated.isEmpty()) {
            protection.failed(LoginProtection.Kind.USER, username, request.clientAddress());
            throw OAuthError.invalidGrant(BAD_CREDENTIALS);
        }
        protection.succeeded(LoginProtection.Kind.USER, username);
        User user = authenticated.get();

        // no scope asked means everything the user and the client may have
        Set<String> granted = scopes.grant(request.optional("scope"), user.scopes(), user.scopes(), client.scopes());
        AccessTokenId id = tokens.newId();
        if (!client.allows(GrantTypes.REFRESH_TOKEN)) {
            return new TokenResponse(tokens.issue(id, user.username(), client.id(), granted), null);
        }
        // one store operation, one transaction: the family starts with this access token recorded under it
        IssuedRefreshToken refreshToken = refreshTokens.issue(user.username(), client.id(), granted, id);
        return new TokenResponse(tokens.issue(id, user.username(), client.id(), granted), refreshToken.token());
    }

    private Optional<User> authenticate(String username, String password) {
        Optional<User> user = users.find(username);
        if (user.isEmpty()) {
            hasher.matchNothing(password);
            return Optional.empty();
        }
        boolean matches = hasher.matches(password, user.get().passwordHash());
        return matches && user.get().active() ? user : Optional.empty();
    }
}
