package dev.tokenservice.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.keys.KeySet;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.token.TokenSettings;

import io.helidon.common.configurable.Resource;
import io.helidon.config.Config;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse;
import io.helidon.security.Subject;
import io.helidon.security.providers.common.EvictableCache;
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
 * The rule keeps the tokens it verified; the subject built for such a token is kept here beside it, so that a
 * token sent again costs no signature check at all, while the rule's time, revocation, subject and key checks still
 * run for every request. A kept subject is only used with the very claims the rule returned it for: when the rule
 * verifies a token again (the keys changed), the provider builds the subject again.
 */
public final class AccessTokenProvider implements AuthenticationProvider {
    private static final String BEARER = "bearer ";

    private final Config jwtConfig;
    private final KeyRing keys;
    private final AccessTokenVerifier rule;
    private final EvictableCache<String, Authenticated> subjects;
    private volatile Verifier verifier;

    private AccessTokenProvider(Config jwtConfig, KeyRing keys, AccessTokenVerifier rule, TokenSettings settings,
                                int cacheSize) {
        this.jwtConfig = jwtConfig;
        this.keys = keys;
        this.rule = rule;
        this.verifier = verifier(keys.current());
        long lifetime = settings.validity().toSeconds() + 60;
        this.subjects = EvictableCache.<String, Authenticated>builder()
                .cacheEnabled(cacheSize > 0)
                .maxSize(cacheSize)
                .timeout(lifetime, TimeUnit.SECONDS)
                .overallTimeout(lifetime, TimeUnit.SECONDS)
                .evictSchedule(1, 1, TimeUnit.MINUTES)
                .build();
    }

    /**
     * Creates the provider from the {@code security} configuration.
     *
     * @param securityConfig the {@code security} node, whose {@code providers} list holds a {@code jwt} entry
     * @param keys           key ring
     * @param settings       what the service issues, to check the provider's audience against
     * @param rule           the access token rule
     * @param cacheSize      how many subjects of verified tokens to keep, as the rule keeps their claims
     * @return provider
     * @throws IllegalStateException when the YAML has no {@code jwt} provider or its audience is wrong
     */
    public static AccessTokenProvider create(Config securityConfig, KeyRing keys, TokenSettings settings,
                                             AccessTokenVerifier rule, int cacheSize) {
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
        return new AccessTokenProvider(jwt, keys, rule, settings, cacheSize);
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
        Optional<Subject> known = subjects.get(token)
                .filter(authenticated -> authenticated.claims() == claims)
                .map(Authenticated::subject);
        if (known.isPresent()) {
            return AuthenticationResponse.success(known.get());
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
        Subject subject = Subject.builder()
                .update(user.get())
                .addPublicCredential(AccessTokenClaims.class, claims)
                .build();
        subjects.remove(token);
        subjects.computeValue(token, () -> Optional.of(new Authenticated(claims, subject)));
        return AuthenticationResponse.success(subject);
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

    private record Authenticated(AccessTokenClaims claims, Subject subject) {
    }
}
