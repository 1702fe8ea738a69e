package dev.tokenservice.resource;

import java.util.Optional;

import dev.tokenservice.events.Reasons;
import dev.tokenservice.ops.ServiceMetrics;
import dev.tokenservice.protection.ClientAddresses;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.web.BearerToken;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.security.SecurityContext;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Protects a route with a bearer access token and a scope, answering every refusal as RFC 6750 §3 says, with a
 * {@code WWW-Authenticate: Bearer} challenge and a JSON error body.
 * <p>
 * The guard has the request's own Helidon {@link SecurityContext} authenticated by {@link BearerAuthentication}
 * (the provider of the YAML: the service's access token rule, then Helidon's JWT provider) and registered in the
 * request's context, so that a refusal reaches this guard instead of becoming an empty 401. The guard decides
 * nothing about the token: it reads the claims the rule accepted, and checks the route's scope and whether the
 * route serves a client's own token.
 * <p>
 * A route is for users' tokens unless it says otherwise ({@link #protectForUsersAndClients}): a client's own token
 * (client credentials grant) gets 403 {@code insufficient_scope} there, whatever its scope, since a fresh token
 * would be refused the same way (a 401 {@code invalid_token} would send the client fetching new tokens).
 */
public final class BearerGuard {
    private final BearerAuthentication authentication;
    private final ServiceMetrics metrics;
    private final ClientAddresses addresses;
    private final BearerRefusals refusals;

    public BearerGuard(BearerAuthentication authentication, ServiceMetrics metrics) {
        this(authentication, metrics, null, null);
    }

    /**
     * Creates the guard, which also reports refusals as security events, aggregated per address and reason.
     *
     * @param authentication the bearer path
     * @param metrics        where refusals are counted
     * @param addresses      where requests come from
     * @param refusals       the aggregation of refusals into events
     */
    public BearerGuard(BearerAuthentication authentication, ServiceMetrics metrics, ClientAddresses addresses,
                       BearerRefusals refusals) {
        this.authentication = authentication;
        this.metrics = metrics;
        this.addresses = addresses;
        this.refusals = refusals;
    }

    /** Why a client's own token is refused on a route for users. */
    static final String USER_ROUTE = "This route is for a user's token; a client's own token (client credentials"
            + " grant) cannot use it";

    /**
     * The handler of a route for users: it acts for the user of the token.
     *
     * @param handler the route's own handler, reached only with a valid user's token carrying the scope
     */
    public Handler protect(String scope, Handler handler) {
        return guarded(scope, false, handler);
    }

    /**
     * The handler of a route that also serves a client's own token (client credentials grant).
     *
     * @param handler the route's own handler, reached only with a valid token carrying the scope; it names the
     *                caller with {@link #caller(ServerRequest)}
     */
    public Handler protectForUsersAndClients(String scope, Handler handler) {
        return guarded(scope, true, handler);
    }

    // one handler, not the guard's and the route's in a row: res.next() would search the routes again
    private Handler guarded(String scope, boolean clientsToo, Handler handler) {
        return (req, res) -> {
            if (admits(scope, clientsToo, req, res)) {
                handler.handle(req, res);
            }
        };
    }

    /** Whether the request may reach the route; if not, the refusal has been sent. */
    private boolean admits(String scope, boolean clientsToo, ServerRequest req, ServerResponse res) {
        if (req.query().contains("access_token")) {
            // §2.3 allows it, but a token in a URI leaks into logs and histories (RFC 9700 §2.4.1)
            rejected(req, "malformed", Reasons.MALFORMED);
            refuse(res, Status.BAD_REQUEST_400, "invalid_request",
                   "Send the access token in the Authorization header, not in the query string", null);
            return false;
        }
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        Optional<String> token = BearerToken.of(authorization);
        if (token.isEmpty()) {
            // §3.1: no error code when the request carries no token at all
            rejected(req, "missing", Reasons.MISSING);
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            JsonErrors.send(res, Status.UNAUTHORIZED_401, "missing_token",
                            "This route needs an access token: Authorization: Bearer <token>");
            return false;
        }
        Optional<AccessTokenClaims> claims = authentication.authenticate(authorization, req.path().path(),
                                                                         req.context());
        // a token the rule accepted is three base64url segments, so the syntax check is needed only for refusals
        if (claims.isEmpty() && !BearerToken.wellFormed(token.get())) {
            rejected(req, "malformed", Reasons.MALFORMED);
            refuse(res, Status.BAD_REQUEST_400, "invalid_request", "The Authorization header is malformed", null);
            return false;
        }
        if (claims.isEmpty()) {
            rejected(req, "invalid", Reasons.INVALID_TOKEN);
            refuse(res, Status.UNAUTHORIZED_401, "invalid_token", "The access token is invalid or has expired", null);
            return false;
        }
        if (claims.get().clientToken() && !clientsToo) {
            rejected(req, "insufficient_scope", Reasons.INSUFFICIENT_SCOPE);
            refuse(res, Status.FORBIDDEN_403, "insufficient_scope", USER_ROUTE, null);
            return false;
        }
        if (!claims.get().hasScope(scope)) {
            rejected(req, "insufficient_scope", Reasons.INSUFFICIENT_SCOPE);
            refuse(res, Status.FORBIDDEN_403, "insufficient_scope", "This route needs the scope '" + scope + "'",
                   scope);
            return false;
        }
        return true;
    }

    /** The user of the token of a route for users this guard let through: its {@code sub}. */
    public static String username(ServerRequest req) {
        AccessTokenClaims claims = claims(req).orElseThrow();
        if (claims.clientToken()) {
            throw new IllegalStateException("A client's own token reached a route for users");
        }
        return claims.subject();
    }

    /**
     * The caller of a route this guard let through, as answers name it: the username, or for a client's own token
     * {@code client:<client id>} ({@link AccessTokenClaims#caller()}).
     *
     * @return the username or the client
     */
    public static String caller(ServerRequest req) {
        return claims(req).orElseThrow().caller();
    }

    /**
     * The {@code jti} and {@code exp} of the access token of a route this guard let through.
     *
     * @return the token's id and expiry
     */
    public static AccessTokenId accessTokenId(ServerRequest req) {
        AccessTokenClaims claims = claims(req).orElseThrow();
        return new AccessTokenId(claims.jti(), claims.expiresAt());
    }

    private static Optional<AccessTokenClaims> claims(ServerRequest req) {
        return req.context().get(SecurityContext.class).flatMap(BearerAuthentication::claims);
    }

    private void rejected(ServerRequest req, String metric, String reason) {
        metrics.bearerRejected(metric);
        if (refusals != null) {
            refusals.refused(addresses.of(req), reason);
        }
    }

    private static void refuse(ServerResponse res, Status status, String error, String description, String scope) {
        String challenge = "Bearer error=\"" + error + "\", error_description=\"" + description + "\""
                + (scope == null ? "" : ", scope=\"" + scope + "\"");
        res.header(HeaderNames.WWW_AUTHENTICATE, challenge);
        JsonErrors.send(res, status, error, description);
    }
}
