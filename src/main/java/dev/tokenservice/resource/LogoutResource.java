package dev.tokenservice.resource;

import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.protection.ClientAddresses;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.web.ErrorHandling;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /users/me/logout}: logout everywhere, needs scope {@code me}. Revokes every refresh token family of
 * the caller, with the access tokens issued under them, and the access token of this request. Answers 204.
 * <p>
 * {@code curl -X POST -H "Authorization: Bearer $TOKEN" http://localhost:8080/users/me/logout}
 */
public record LogoutResource(BearerGuard guard, RefreshTokenStore refreshTokens, RevokedTokens revoked,
                             ClientAddresses addresses, SecurityEvents events) implements HttpService {
    /** A resource that reports no event. */
    public LogoutResource(BearerGuard guard, RefreshTokenStore refreshTokens, RevokedTokens revoked) {
        this(guard, refreshTokens, revoked, null, SecurityEvents.NONE);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", guard.protect("me", this::logout))
                .any("/", ErrorHandling.methodNotAllowed(Method.POST));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        String username = BearerGuard.username(req);
        AccessTokenId token = BearerGuard.accessTokenId(req);
        int sessions;
        try {
            sessions = refreshTokens.revokeUser(username);
        } finally {
            // also when the store is unavailable (the answer is then 503): this token is refused here at once,
            // and on every instance once the store returns
            revoked.revoke(token);
        }
        events.emit(SecurityEvent.success(EventTypes.REVOCATION).reason(Reasons.LOGOUT).username(username)
                            .address(addresses == null ? null : addresses.of(req)).jti(token.jti()).count(sessions)
                            .build());
        res.status(Status.NO_CONTENT_204).send();
    }
}
