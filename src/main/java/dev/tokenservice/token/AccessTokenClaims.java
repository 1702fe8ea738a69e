package dev.tokenservice.token;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.tokenservice.users.User;

/**
 * The claims of an access token that {@link AccessTokenVerifier} found valid.
 *
 * @param subject   {@code sub}: the username, or a client id for a token no user is involved in
 * @param clientId  {@code client_id}, {@code null} in tokens issued before clients existed
 * @param scope     {@code scope}, space-delimited, empty when none
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param issuer    {@code iss}
 * @param audience  {@code aud}
 * @param jti       {@code jti}
 * @param notBefore   {@code nbf}, {@code null} when absent
 * @param clientToken whether it is a client's own token (client credentials grant): {@code sub} is then the client
 *                    id and no user is involved; else a user's token, {@code sub} the username
 */
public record AccessTokenClaims(String subject, String clientId, String scope, Instant issuedAt, Instant expiresAt,
                                String issuer, List<String> audience, String jti, Instant notBefore,
                                boolean clientToken) {
    public AccessTokenClaims {
        audience = List.copyOf(audience);
    }

    /**
     * The caller, as answers and logs name it: the username, or for a client's own token
     * {@code client:<client id>} (no username starts with {@value User#CLIENT_PREFIX}).
     *
     * @return the username or the client
     */
    public String caller() {
        return clientToken ? User.CLIENT_PREFIX + subject : subject;
    }

    /** The client the token was issued to. */
    public Optional<String> client() {
        return Optional.ofNullable(clientId);
    }

    /**
     * The issue time.
     *
     * @return {@code iat}
     */
    public Optional<Instant> issued() {
        return Optional.ofNullable(issuedAt);
    }

    /**
     * The not-before time.
     *
     * @return {@code nbf}
     */
    public Optional<Instant> notBeforeTime() {
        return Optional.ofNullable(notBefore);
    }

    /**
     * The granted scopes.
     *
     * @return the scope tokens of {@code scope}, in order
     */
    public Set<String> scopes() {
        return scope.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(scope.split(" ")));
    }

    /**
     * Whether {@code scope} grants one scope, without splitting it (every protected request asks).
     *
     * @return {@code true} when it is one of the space-delimited tokens of {@code scope}
     */
    public boolean hasScope(String wanted) {
        int at = scope.indexOf(wanted);
        while (at >= 0) {
            int end = at + wanted.length();
            if ((at == 0 || scope.charAt(at - 1) == ' ') && (end == scope.length() || scope.charAt(end) == ' ')) {
                return true;
            }
            at = scope.indexOf(wanted, at + 1);
        }
        return false;
    }
}
