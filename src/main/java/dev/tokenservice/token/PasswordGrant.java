package dev.tokenservice.token;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.tokenservice.users.PasswordHasher;
import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;

/**
 * The resource owner password credentials grant, RFC 6749 §4.3.
 * <p>
 * Every refused login — unknown user, wrong password, disabled user, password too long for bcrypt — gets the
 * same {@code invalid_grant} answer after one bcrypt check, so neither the answer nor its time tells whether
 * the username exists.
 */
public final class PasswordGrant implements TokenGrant {
    private static final String BAD_CREDENTIALS = "Incorrect username or password";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final Scopes scopes;
    private final TokenService tokens;

    /**
     * Creates the grant.
     *
     * @param users  user store
     * @param hasher password hasher
     * @param scopes defined scopes
     * @param tokens token service
     */
    public PasswordGrant(UserStore users, PasswordHasher hasher, Scopes scopes, TokenService tokens) {
        this.users = users;
        this.hasher = hasher;
        this.scopes = scopes;
        this.tokens = tokens;
    }

    @Override
    public String grantType() {
        return "password";
    }

    @Override
    public TokenService.AccessToken grant(TokenRequest request) {
        String username = request.required("username");
        String password = request.required("password");
        Set<String> requested = request.optional("scope").map(scopes::parse).orElse(Set.of());

        User user = authenticate(username, password)
                .orElseThrow(() -> OAuthError.invalidGrant(BAD_CREDENTIALS));

        // RFC 6749 §3.3: no scope asked means the default, here everything the user may have
        Set<String> granted = new LinkedHashSet<>(requested.isEmpty() ? user.scopes() : requested);
        granted.retainAll(user.scopes());
        if (!requested.isEmpty() && granted.isEmpty()) {
            throw OAuthError.invalidScope("None of the requested scopes is allowed for this user");
        }
        return tokens.issue(user.username(), granted);
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
