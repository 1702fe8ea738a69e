package dev.tokenservice.api;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.token.TokenSettings;

import io.helidon.common.context.Context;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import io.helidon.security.providers.common.EvictableCache;

/**
 * The Helidon {@link SecurityContext} of each access token sent to a protected route: made by {@link Security} (its
 * providers from the YAML: {@link AccessTokenProvider}, that is the service's access token rule, then Helidon's JWT
 * provider) for the token's first request, and kept for the token's later requests, as long as the rule, asked again
 * on every request, still accepts the token with the very claims it was authenticated with. So a revoked token, a
 * disabled or removed user or client, an expired token and a removed key are refused on the next request, cached or
 * not; when the key ring changes, the rule verifies every token again and each gets a new context.
 * <p>
 * Why a context per token rather than Helidon's per request ({@code SecurityFeature}'s filter makes one for every
 * request, and {@link SecurityContext#authenticate()} runs the providers): most of a protected request's CPU went
 * there (bench profile: the filter's environment of all headers, the query, the URI and the peer; the authentication
 * client, whose audit event walks the thread's stack on every call), while real clients send the same token for its
 * whole lifetime. A context is therefore the token's, not a request's: its environment holds the
 * {@code Authorization} header and nothing of the request it was made for, and routes take the request's own data
 * from the request. Routes must not change it ({@code logout}, {@code runAs}): other requests share it.
 */
public final class TokenSecurityContexts {
    /** How many contexts are kept when {@code app.token.context-cache-size} does not say: about 18 MB of heap. */
    public static final int DEFAULT_CACHE_SIZE = 2000;

    private static final String AUTHORIZATION = "Authorization";

    private final Security security;
    private final AccessTokenVerifier rule;
    private final EvictableCache<String, Authenticated> known;
    private final AtomicLong ids = new AtomicLong();

    /**
     * Creates the contexts.
     *
     * @param security  security with the providers of the YAML
     * @param rule      the access token rule, asked on every request
     * @param settings  token lifetime, so that no context outlives its token by much
     * @param cacheSize how many contexts to keep (about 9 KB each); 0 keeps none
     */
    public TokenSecurityContexts(Security security, AccessTokenVerifier rule, TokenSettings settings, int cacheSize) {
        this.security = security;
        this.rule = rule;
        long lifetime = settings.validity().toSeconds() + 60;
        // Helidon's bounded cache: when full it stops adding (every request is then authenticated anew)
        this.known = EvictableCache.<String, Authenticated>builder()
                .cacheEnabled(cacheSize > 0)
                .maxSize(cacheSize)
                .timeout(lifetime, TimeUnit.SECONDS)
                .overallTimeout(lifetime, TimeUnit.SECONDS)
                .evictSchedule(1, 1, TimeUnit.MINUTES)
                .build();
    }

    /**
     * Authenticates a request's bearer token and registers the token's security context in the request's context,
     * for the route handlers and the access log.
     *
     * @param authorization  the request's one {@code Authorization} header, {@code Bearer <token>}
     * @param requestContext the request's context
     * @return the token's claims when the providers accepted it, else empty
     */
    Optional<AccessTokenClaims> authenticate(String authorization, Context requestContext) {
        String token = authorization.substring("Bearer ".length());
        Optional<Authenticated> current = known.get(token)
                .filter(entry -> rule.check(token) instanceof AccessTokenVerifier.Result.Valid valid
                        && valid.claims() == entry.claims());
        if (current.isPresent()) {
            requestContext.register(current.get().context());
            return Optional.of(current.get().claims());
        }
        SecurityContext context = security.contextBuilder(Long.toString(ids.incrementAndGet()))
                .env(security.environmentBuilder().header(AUTHORIZATION, authorization).build())
                .build();
        requestContext.register(context);
        context.authenticate();
        Optional<AccessTokenClaims> claims = claims(context);
        claims.ifPresent(accepted -> {
            // a context of claims the rule no longer returns (an older key set) may still be there
            known.remove(token);
            known.computeValue(token, () -> Optional.of(new Authenticated(accepted, context)));
        });
        return claims;
    }

    /**
     * The claims of an authenticated context.
     *
     * @param context a security context
     * @return the claims the provider added to its subject, or empty when it is not authenticated
     */
    static Optional<AccessTokenClaims> claims(SecurityContext context) {
        return context.user().flatMap(subject -> subject.publicCredential(AccessTokenClaims.class));
    }

    private record Authenticated(AccessTokenClaims claims, SecurityContext context) {
    }
}
