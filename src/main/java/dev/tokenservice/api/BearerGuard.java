package dev.tokenservice.api;

import java.util.regex.Pattern;

import dev.tokenservice.ops.ServiceMetrics;
import dev.tokenservice.sessions.AccessTokenId;
import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.security.SecurityContext;
import io.helidon.security.Subject;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.providers.common.TokenCredential;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.security.SecurityFeature;
import io.helidon.webserver.security.SecurityHandler;

/**
 * Protects a route with a bearer access token and a scope, answering every refusal as RFC 6750 §3 says, with a
 * {@code WWW-Authenticate: Bearer} challenge and a JSON error body.
 * <p>
 * Helidon's security handler runs first with authentication optional, so that the JWT provider fills the
 * {@link SecurityContext} but a failure reaches this guard instead of becoming an empty 401.
 */
public final class BearerGuard {
    private static final SecurityHandler AUTHENTICATE = SecurityFeature.authenticate().authenticationOptional();
    /** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String BEARER = "Bearer ";

    private final UserStore users;
    private final ServiceMetrics metrics;

    /**
     * Creates the guard.
     *
     * @param users   user store, to refuse tokens of users removed or disabled since
     * @param metrics where refusals are counted
     */
    public BearerGuard(UserStore users, ServiceMetrics metrics) {
        this.users = users;
        this.metrics = metrics;
    }

    /**
     * The handlers of a protected route.
     *
     * @param scope   the scope the route needs
     * @param handler the route's own handler, reached only with a valid token carrying the scope
     * @return handlers to register in order
     */
    public Handler[] protect(String scope, Handler handler) {
        return new Handler[] {AUTHENTICATE, (req, res) -> check(scope, req, res), handler};
    }

    private void check(String scope, ServerRequest req, ServerResponse res) {
        if (req.query().contains("access_token")) {
            // §2.3 allows it, but a token in a URI leaks into logs and histories (RFC 9700 §2.4.1)
            metrics.bearerRejected("malformed");
            refuse(res, Status.BAD_REQUEST_400, "invalid_request",
                   "Send the access token in the Authorization header, not in the query string", null);
            return;
        }
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            // §3.1: no error code when the request carries no token at all
            metrics.bearerRejected("missing");
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            JsonErrors.send(res, Status.UNAUTHORIZED_401, "missing_token",
                            "This route needs an access token: Authorization: Bearer <token>");
            return;
        }
        if (!B64TOKEN.matcher(authorization.substring(BEARER.length())).matches()) {
            metrics.bearerRejected("malformed");
            refuse(res, Status.BAD_REQUEST_400, "invalid_request", "The Authorization header is malformed", null);
            return;
        }
        Subject subject = req.context().get(SecurityContext.class)
                .filter(SecurityContext::isAuthenticated)
                .flatMap(SecurityContext::user)
                .orElse(null);
        if (subject == null) {
            metrics.bearerRejected("invalid");
            refuse(res, Status.UNAUTHORIZED_401, "invalid_token", "The access token is invalid or has expired", null);
            return;
        }
        if (users.find(subject.principal().id()).filter(User::active).isEmpty()) {
            metrics.bearerRejected("invalid");
            refuse(res, Status.UNAUTHORIZED_401, "invalid_token", "The user of this token is disabled or removed",
                   null);
            return;
        }
        boolean granted = subject.grantsByType("scope").stream().anyMatch(grant -> grant.getName().equals(scope));
        if (!granted) {
            metrics.bearerRejected("insufficient_scope");
            refuse(res, Status.FORBIDDEN_403, "insufficient_scope", "This route needs the scope '" + scope + "'",
                   scope);
            return;
        }
        res.next();
    }

    /**
     * The username of the caller of a route this guard let through: the {@code sub} of the token, read from the
     * security context that the JWT provider filled.
     *
     * @param req request
     * @return username
     */
    public static String username(ServerRequest req) {
        return req.context().get(SecurityContext.class).flatMap(SecurityContext::userPrincipal).orElseThrow().id();
    }

    /**
     * The {@code jti} and {@code exp} of the access token of a route this guard let through, read from the
     * security context that the JWT provider filled.
     *
     * @param req request
     * @return the token's id and expiry
     */
    public static AccessTokenId accessTokenId(ServerRequest req) {
        Jwt jwt = req.context().get(SecurityContext.class)
                .flatMap(SecurityContext::user)
                .flatMap(subject -> subject.publicCredential(TokenCredential.class))
                .flatMap(credential -> credential.getTokenInstance(Jwt.class))
                .orElseThrow();
        // the provider has refused tokens without exp; ours always have a jti
        return new AccessTokenId(jwt.jwtId().orElseThrow(), jwt.expirationTime().orElseThrow());
    }

    private static void refuse(ServerResponse res, Status status, String error, String description, String scope) {
        String challenge = "Bearer error=\"" + error + "\", error_description=\"" + description + "\""
                + (scope == null ? "" : ", scope=\"" + scope + "\"");
        res.header(HeaderNames.WWW_AUTHENTICATE, challenge);
        JsonErrors.send(res, status, error, description);
    }
}
