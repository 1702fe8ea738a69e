package dev.tokenservice.resource;

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
public record LogoutResource(BearerGuard guard, RefreshTokenStore refreshTokens,
                             RevokedTokens revoked) implements HttpService {

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", guard.protect("me", this::logout))
                .any("/", ErrorHandling.methodNotAllowed(Method.POST));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        try {
            refreshTokens.revokeUser(BearerGuard.username(req));
        } finally {
            // also when the store is unavailable (the answer is then 503): this token is refused here at once,
            // and on every instance once the store returns
            revoked.revoke(BearerGuard.accessTokenId(req));
        }
        res.status(Status.NO_CONTENT_204).send();
    }
}
