package dev.tokenservice.resource;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.token.AccessTokenCheck;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.web.BearerToken;

import io.helidon.common.context.Context;
import io.helidon.config.Config;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;

/**
 * The one path of a bearer access token: each use, a request to a protected route or a token handed to
 * introspection or revocation, gets a new Helidon {@link SecurityContext}, authenticated by {@link Security} with the
 * provider of the YAML ({@link AccessTokenProvider}: the service's access token rule, then Helidon's JWT provider).
 * Contexts are mutable ({@code authorize}, {@code runAs}, {@code logout}), so none is ever shared between uses; what
 * is shared is only the immutable result of verifying a token. The three outcomes of a use, and why not Helidon's
 * {@code SecurityFeature}, are in docs/architecture.md.
 */

public final class BearerAuthentication implements AccessTokenCheck {
    private final Security security;
    private final AccessTokenProvider provider;
    private final boolean shortcut;
    private final AtomicLong ids = new AtomicLong();

    BearerAuthentication(AccessTokenProvider provider, boolean authenticateEveryRequest) {
        this.provider = provider;
        this.security = Security.builder().addAuthenticationProvider(provider, "jwt").build();
        this.shortcut = !authenticateEveryRequest && SecurityContextShortcut.available();
    }

    /**
     * Creates the bearer path.
     *
     * @param config   root configuration: {@code security} (its {@code jwt} provider) and {@code app.token}
     * @param clock    time source of the tokens' expiry
     */
    public static BearerAuthentication create(Config config, AccessTokenVerifier rule, Clock clock) {
        AuthenticatedTokens verified = new AuthenticatedTokens(ConfigKeys.TOKEN_CACHE_MEMORY.bytes(config), clock);
        return new BearerAuthentication(AccessTokenProvider.create(config.get("security"), rule, verified),
                                        ConfigKeys.TOKEN_AUTHENTICATE_EVERY_REQUEST.bool(config));
    }

    /**
     * Authenticates a request's bearer token and registers the request's own security context in the request's
     * context, for the route handlers and the access log.
     *
     * @param authorization  the request's one {@code Authorization} header, of the {@code Bearer} scheme
     * @return the token's claims when it is valid, else empty
     */
    Optional<AccessTokenClaims> authenticate(String authorization, String path, Context requestContext) {
        return authenticate(BearerToken.of(authorization).orElseThrow(), authorization, path,
                            requestContext::register);
    }

    @Override
    public Optional<AccessTokenClaims> verify(String token) {
        return authenticate(token, BearerToken.header(token), null, context -> { });
    }

    /**
     * The claims of an authenticated context.
     *
     * @return the claims the provider added to its subject, or empty when it is not authenticated
     */
    static Optional<AccessTokenClaims> claims(SecurityContext context) {
        return context.user().flatMap(subject -> subject.publicCredential(AccessTokenClaims.class));
    }

    private Optional<AccessTokenClaims> authenticate(String token, String authorization, String path,
                                                     Consumer<SecurityContext> registration) {
        AccessTokenProvider.Check check = shortcut ? provider.check(token) : null;
        SecurityContext context = context(authorization, path, check);
        registration.accept(context);
        switch (check) {
        case null -> context.authenticate();
        case AccessTokenProvider.Check.Known known ->
            // a known token refused now (expired, revoked, its user disabled) leaves the context unauthenticated
                known.response().user().ifPresent(subject -> SecurityContextShortcut.authenticated(context, subject));
        case AccessTokenProvider.Check.Refused refused -> {
            // the context stays unauthenticated
        }
        case AccessTokenProvider.Check.Verified verified -> context.authenticate();
        }
        return claims(context);
    }

    private SecurityContext context(String authorization, String path, AccessTokenProvider.Check check) {
        var environment = security.environmentBuilder().header("Authorization", authorization);
        if (path != null) {
            environment.path(path);
        }
        if (check instanceof AccessTokenProvider.Check.Verified verified) {
            environment.addAttribute(AccessTokenProvider.Check.Verified.ATTRIBUTE, verified);
        }
        return security.contextBuilder(Long.toString(ids.incrementAndGet()))
                .env(environment.build())
                .build();
    }
}
