package dev.tokenservice.api;

import java.util.List;
import java.util.Optional;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.keys.KeySet;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.token.TokenSettings;

import io.helidon.common.configurable.Resource;
import io.helidon.config.Config;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Grant;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse;
import io.helidon.security.Subject;
import io.helidon.security.providers.common.TokenCredential;
import io.helidon.security.providers.jwt.JwtProvider;
import io.helidon.security.spi.AuthenticationProvider;

/**
 * Authenticates bearer access tokens for the protected routes: {@link AccessTokenVerifier}, the service's single
 * rule for access tokens, decides first; a token it accepts then goes through Helidon's {@link JwtProvider},
 * configured from the YAML entry {@code security.providers: - jwt: ...} and fed with the key ring's current keys,
 * which builds the security subject (principal and scope grants). The rule's claims are added to that subject as
 * a public credential, for the route handlers.
 * <p>
 * The rule runs first because Helidon 4.3.0's provider lets through what the rule refuses (no {@code iss} check,
 * no {@code exp} required, {@code crit} and duplicate members ignored) and fails with a stack trace on claims of
 * the wrong type. The provider is rebuilt from the same YAML whenever the key ring holds a new key set, since
 * Helidon's provider reads its keys only once.
 * <p>
 * It runs for a token's first request only: {@link TokenSecurityContexts} keeps the security context it
 * authenticated for the token's later ones.
 */
public final class AccessTokenProvider implements AuthenticationProvider {
    private static final String BEARER = "bearer ";

    private final Config jwtConfig;
    private final KeyRing keys;
    private final AccessTokenVerifier rule;
    private volatile Verifier verifier;

    private AccessTokenProvider(Config jwtConfig, KeyRing keys, AccessTokenVerifier rule) {
        this.jwtConfig = jwtConfig;
        this.keys = keys;
        this.rule = rule;
        this.verifier = verifier(keys.current());
    }

    /**
     * Creates the provider from the {@code security} configuration.
     *
     * @param securityConfig the {@code security} node, whose {@code providers} list holds a {@code jwt} entry
     * @param keys           key ring
     * @param settings       what the service issues, to check the provider's audience against
     * @param rule           the access token rule
     * @return provider
     * @throws IllegalStateException when the YAML has no {@code jwt} provider or its audience is wrong
     */
    public static AccessTokenProvider create(Config securityConfig, KeyRing keys, TokenSettings settings,
                                             AccessTokenVerifier rule) {
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
        return new AccessTokenProvider(jwt, keys, rule);
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        List<String> authorization = request.env().headers().getOrDefault("Authorization", List.of());
        if (authorization.size() > 1) {
            return AuthenticationResponse.failed("more than one Authorization header");
        }
        if (authorization.isEmpty() || !authorization.getFirst().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return AuthenticationResponse.abstain();
        }
        String token = authorization.getFirst().substring(BEARER.length());
        AccessTokenClaims claims;
        switch (rule.check(token)) {
        case AccessTokenVerifier.Result.Refused refused -> {
            return AuthenticationResponse.failed(refused.reason());
        }
        case AccessTokenVerifier.Result.Valid valid -> claims = valid.claims();
        }
        AuthenticationResponse response = helidon().authenticate(request);
        Optional<Subject> user = response.user();
        if (response.status() != SecurityResponse.SecurityStatus.SUCCESS || user.isEmpty()) {
            return AuthenticationResponse.failed("refused by the JWT provider");
        }
        boolean sameToken = user.get().publicCredential(TokenCredential.class)
                .map(TokenCredential::token)
                .filter(token::equals)
                .isPresent();
        if (!sameToken) {
            return AuthenticationResponse.failed("the JWT provider read another token");
        }
        // the provider's principal and scope grants, not its TokenCredential: that holds the token parsed twice
        // (Jwt, SignedJwt), most of the 12 KB a kept context of an RS256 token took; the rule's claims replace it
        Subject.Builder subject = Subject.builder()
                .principal(user.get().principal())
                .addPublicCredential(AccessTokenClaims.class, claims);
        user.get().grants(Grant.class).forEach(subject::addGrant);
        return AuthenticationResponse.success(subject.build());
    }

    private JwtProvider helidon() {
        KeySet keySet = keys.current();
        Verifier current = verifier;
        if (current.keySet() != keySet) {
            current = verifier(keySet);
            verifier = current;
        }
        return current.provider();
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
