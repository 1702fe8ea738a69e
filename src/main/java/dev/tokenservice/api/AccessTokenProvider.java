package dev.tokenservice.api;

import java.util.List;
import java.util.Optional;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.keys.KeySet;
import dev.tokenservice.sessions.RevokedTokens;
import dev.tokenservice.token.TokenSettings;

import io.helidon.common.configurable.Resource;
import io.helidon.config.Config;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.providers.common.TokenCredential;
import io.helidon.security.providers.jwt.JwtProvider;
import io.helidon.security.spi.AuthenticationProvider;

/**
 * Authenticates bearer access tokens with Helidon's {@link JwtProvider}, configured from the YAML entry
 * {@code security.providers: - jwt: ...} and fed with the key ring's current keys, then refuses what Helidon
 * 4.3.0 lets through (RFC 8725): a token with no {@code alg} header, another issuer, no expiry, or a type other
 * than an access token's (RFC 9068 §4), so that no other JWT signed with the same keys passes as one; and a token
 * revoked before its expiry (RFC 7009).
 * <p>
 * The provider is rebuilt from the same YAML whenever the key ring holds a new key set, since Helidon's provider
 * reads its keys only once.
 */
public final class AccessTokenProvider implements AuthenticationProvider {
    private final Config jwtConfig;
    private final KeyRing keys;
    private final TokenSettings settings;
    private final RevokedTokens revoked;
    private volatile Verifier verifier;

    private AccessTokenProvider(Config jwtConfig, KeyRing keys, TokenSettings settings, RevokedTokens revoked) {
        this.jwtConfig = jwtConfig;
        this.keys = keys;
        this.settings = settings;
        this.revoked = revoked;
        this.verifier = verifier(keys.current());
    }

    /**
     * Creates the provider from the {@code security} configuration.
     *
     * @param securityConfig the {@code security} node, whose {@code providers} list holds a {@code jwt} entry
     * @param keys           key ring
     * @param settings       what the service issues: the only accepted {@code iss}, {@code aud} and {@code typ}
     * @param revoked        revoked access tokens, refused until they expire
     * @return provider
     * @throws IllegalStateException when the YAML has no {@code jwt} provider or its audience is wrong
     */
    public static AccessTokenProvider create(Config securityConfig, KeyRing keys, TokenSettings settings,
                                             RevokedTokens revoked) {
        Config jwt = securityConfig.get("providers").asNodeList().orElse(List.of()).stream()
                .map(provider -> provider.get("jwt"))
                .filter(Config::exists)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("security.providers has no jwt provider"));
        // Helidon 4.3.0 answers 500 to every valid token when jwt-audience is missing (helidon#10769)
        String audience = jwt.get("atn-token.jwt-audience").asString().orElse("");
        if (!audience.equals(settings.audience())) {
            throw new IllegalStateException("security.providers jwt atn-token.jwt-audience is '" + audience
                                                    + "' but the service issues tokens for '"
                                                    + settings.audience() + "'");
        }
        return new AccessTokenProvider(jwt, keys, settings, revoked);
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        KeySet keySet = keys.current();
        Verifier current = verifier;
        if (current.keySet() != keySet) {
            current = verifier(keySet);
            verifier = current;
        }
        AuthenticationResponse response = current.provider().authenticate(request);
        if (response.status() != SecurityResponse.SecurityStatus.SUCCESS) {
            return response;
        }
        Optional<String> problem = response.user()
                .flatMap(subject -> subject.publicCredential(TokenCredential.class))
                .flatMap(credential -> credential.getTokenInstance(Jwt.class))
                .map(this::problem)
                .orElse(Optional.of("no token in the security context"));
        return problem.map(AuthenticationResponse::failed).orElse(response);
    }

    private Optional<String> problem(Jwt jwt) {
        if (jwt.algorithm().isEmpty()) {
            // Helidon would fall back to the key's algorithm; RFC 7515 §4.1.1 makes alg mandatory
            return Optional.of("no alg header");
        }
        if (!jwt.type().map(settings::acceptsType).orElse(false)) {
            return Optional.of("not an access token");
        }
        if (!jwt.issuer().map(settings.issuer()::equals).orElse(false)) {
            return Optional.of("wrong or missing issuer");
        }
        if (jwt.expirationTime().isEmpty()) {
            return Optional.of("no expiration time");
        }
        if (jwt.jwtId().filter(revoked::isRevoked).isPresent()) {
            return Optional.of("revoked");
        }
        return Optional.empty();
    }

    private Verifier verifier(KeySet keySet) {
        JwtProvider provider = JwtProvider.builder()
                .config(jwtConfig)
                .verifyJwk(Resource.create("key ring", keySet.toPrivateJson()))
                .build();
        return new Verifier(keySet, provider);
    }

    private record Verifier(KeySet keySet, JwtProvider provider) {
    }
}
