package dev.tokenservice.resource;

import java.util.List;
import java.util.Optional;

import dev.tokenservice.keys.PublicKeys;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.web.BearerToken;

import io.helidon.config.Config;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse;
import io.helidon.security.Subject;
import io.helidon.security.providers.common.TokenCredential;
import io.helidon.security.providers.jwt.JwtProvider;
import io.helidon.security.spi.AuthenticationProvider;

/**
 * The authentication provider of bearer access tokens, configured by the YAML entry
 * {@code security.providers: - jwt: ...}: the service's access token rule ({@link AccessTokenVerifier}) decides,
 * and Helidon's {@link JwtProvider}, built from that entry, makes the identity (principal, scope grants) of a token
 * the rule accepted. Helidon's provider runs with its signature check off and holds no key: the rule has just
 * checked the signature. The rule runs first because Helidon 4.3.0's provider lets through what the rule refuses (no
 * {@code iss} check, no {@code exp} required, {@code crit} and duplicate members ignored) and throws on a signature
 * of the wrong length. A token whose claims Helidon's provider cannot read is refused. What is kept between uses:
 * {@link AuthenticatedTokens} and docs/architecture.md.
 *
 * @param helidon Helidon's JWT provider, which makes the identity of a token the rule accepted
 */
public record AccessTokenProvider(AccessTokenVerifier rule, JwtProvider helidon, AuthenticatedTokens verified)
        implements AuthenticationProvider {
    /**
     * Creates the provider from the {@code security} configuration.
     *
     * @param securityConfig the {@code security} node, whose {@code providers} list holds a {@code jwt} entry
     * @param verified       where verified tokens are kept
     * @throws IllegalStateException when the YAML has no {@code jwt} provider
     */
    static AccessTokenProvider create(Config securityConfig, AccessTokenVerifier rule, AuthenticatedTokens verified) {
        Config jwt = securityConfig.get("providers").asNodeList().orElse(List.of()).stream()
                .map(provider -> provider.get("jwt"))
                .filter(Config::exists)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("security.providers has no jwt provider"));
        // its checks of the claims (audience, times) run only with its signature check: the rule makes them all
        JwtProvider helidon = JwtProvider.builder().config(jwt).verifySignature(false).build();
        return new AccessTokenProvider(rule, helidon, verified);
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        List<String> authorization = request.env().headers().getOrDefault("Authorization", List.of());
        Optional<String> token = authorization.size() == 1 ? BearerToken.of(authorization.getFirst())
                : Optional.empty();
        if (token.isEmpty()) {
            return AuthenticationResponse.failed("no single bearer token");
        }
        Check check = request.env().abacAttribute(Check.Verified.ATTRIBUTE)
                .filter(Check.Verified.class::isInstance)
                .map(Check.class::cast)
                .orElseGet(() -> check(token.get()));
        return switch (check) {
            case Check.Known known -> known.response();
            case Check.Refused refused -> AuthenticationResponse.failed(refused.reason());
            case Check.Verified verified -> identify(request, token.get(), verified);
        };
    }

    /**
     * What can be said of a token without Helidon Security: the decision on a token verified before with the
     * current keys (the rule's checks of every use, then a new subject of the identity the JWT provider built), or
     * the rule's refusal of a token not seen before, or its claims when it is valid and needs its identity.
     */
    Check check(String token) {
        PublicKeys keys = rule.keys();
        AuthenticatedTokens.Entry entry = verified.get(token, keys);
        if (entry != null) {
            return new Check.Known(decide(entry));
        }
        return switch (rule.signedClaims(token, keys)) {
            case AccessTokenVerifier.Result.Refused refused -> new Check.Refused(refused.reason());
            case AccessTokenVerifier.Result.Valid valid -> new Check.Verified(keys, valid.claims());
        };
    }

    /** A verified token's first authentication: its identity from Helidon's JWT provider, kept for its later ones. */
    private AuthenticationResponse identify(ProviderRequest request, String token, Check.Verified verified) {
        Optional<Subject> user = identity(request, token);
        if (user.isEmpty()) {
            return AuthenticationResponse.failed("the JWT provider cannot read the token");
        }
        AuthenticatedTokens.Entry entry = this.verified.entry(verified.keys(), verified.claims(), user.get());
        this.verified.put(token, entry);
        return decide(entry);
    }

    private AuthenticationResponse decide(AuthenticatedTokens.Entry entry) {
        return switch (rule.stillValid(entry.claims())) {
            case AccessTokenVerifier.Result.Refused refused -> AuthenticationResponse.failed(refused.reason());
            case AccessTokenVerifier.Result.Valid valid -> AuthenticationResponse.success(entry.subject());
        };
    }

    /** The subject Helidon's JWT provider builds for the request's token, when it read that very token. */
    private Optional<Subject> identity(ProviderRequest request, String token) {
        AuthenticationResponse response;
        try {
            response = helidon.authenticate(request);
        } catch (RuntimeException e) {
            // a claim of a type Helidon's JWT library does not expect (an OpenID Connect claim such as zoneinfo)
            return Optional.empty();
        }
        return response.user()
                .filter(subject -> response.status() == SecurityResponse.SecurityStatus.SUCCESS)
                .filter(subject -> subject.publicCredential(TokenCredential.class)
                        .map(TokenCredential::token)
                        .filter(token::equals)
                        .isPresent());
    }

    /** What is known of a token before Helidon Security runs. */
    sealed interface Check {
        /**
         * A token verified before with the current keys, decided now.
         *
         * @param response success with a new subject, or the refusal of the rule's checks of every use
         */
        record Known(AuthenticationResponse response) implements Check {
        }

        /** A token the rule refuses. */
        record Refused(String reason) implements Check {
        }

        /**
         * A token not seen before whose signature and claims the rule accepted: the bearer path hands it to this
         * provider in the request's security environment, so that its signature is not checked twice.
         *
         * @param keys   the public keys it was verified with
         */
        record Verified(PublicKeys keys, AccessTokenClaims claims) implements Check {
            /** The environment attribute that holds it. */
            static final String ATTRIBUTE = Verified.class.getName();
        }
    }
}
