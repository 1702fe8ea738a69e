package dev.tokenservice.endpoint;

import java.util.List;
import java.util.Optional;

import dev.tokenservice.clients.Client;
import dev.tokenservice.clients.ClientAuthenticator;
import dev.tokenservice.oauth.ClientCredentials;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.protection.ClientAddresses;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.token.AccessTokenCheck;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.token.TokenService;
import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code POST /introspect}, token introspection (RFC 7662), for confidential clients only (§2.1: the endpoint
 * must not let anyone probe tokens; a public client proves nothing about itself).
 * <p>
 * An active access token answers {@code active: true} with its {@code sub}, {@code username}, {@code scope},
 * {@code client_id}, {@code token_type}, {@code exp}, {@code iat}, {@code iss}, {@code aud} and {@code jti}; a
 * client's own token (client credentials grant) has no {@code username} and has {@code gty: client_credentials}.
 * Anything else — expired, revoked, of a disabled user, signed by another key, garbage, or a refresh token —
 * answers exactly {@code {"active": false}} (§2.2: nothing more about an inactive token). Refresh tokens are
 * secrets of the client that holds them, never shown to resource servers, so they are not introspected (§4 lets
 * the server limit which tokens a caller may introspect).
 * <p>
 * {@code curl -u resource-server:demo-introspection-secret -d token=$TOKEN http://localhost:8080/introspect}
 */
public final class IntrospectionEndpoint implements HttpService {
    private static final JsonObject INACTIVE = JsonErrors.JSON.createObjectBuilder().add("active", false).build();

    private final ClientAuthenticator clients;
    private final ClientAddresses addresses;
    private final AccessTokenCheck accessTokens;
    private final RevokedTokens revoked;

    /**
     * Creates the endpoint.
     *
     * @param accessTokens the bearer path, which decides whether a token is valid
     * @param revoked      revoked access tokens, asked whether they are current
     */
    public IntrospectionEndpoint(ClientAuthenticator clients, ClientAddresses addresses,
                                 AccessTokenCheck accessTokens, RevokedTokens revoked) {
        this.clients = clients;
        this.addresses = addresses;
        this.accessTokens = accessTokens;
        this.revoked = revoked;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::introspect)
                .any("/", ErrorHandling.methodNotAllowed(Method.POST));
    }

    private void introspect(ServerRequest req, ServerResponse res) {
        // RFC 7662 §4: the answer holds token data
        OAuthResponses.noStore(res);
        try {
            TokenRequest request = FormRequests.read(req, addresses.of(req));
            Client client = clients.authenticate(ClientCredentials.read(req.headers(), request),
                                                 request.clientAddress());
            if (!client.confidential()) {
                throw OAuthError.invalidClient("Introspection needs the credentials of a confidential client");
            }
            Optional<AccessTokenClaims> claims = accessTokens.verify(request.required("token"));
            if (claims.isPresent() && !revoked.current()) {
                // "inactive" is certain, but "active" vouches that no instance revoked the token, which this one
                // cannot know while it does not hear from the store
                OAuthResponses.unavailable(res);
                return;
            }
            res.send(claims.map(IntrospectionEndpoint::active).orElse(INACTIVE));
        } catch (OAuthError e) {
            OAuthResponses.error(res, e);
        }
    }

    private static JsonObject active(AccessTokenClaims claims) {
        JsonObjectBuilder body = JsonErrors.JSON.createObjectBuilder()
                .add("active", true)
                .add("sub", claims.subject());
        if (!claims.clientToken()) {
            body.add("username", claims.subject());
        }
        if (!claims.scope().isEmpty()) {
            body.add("scope", claims.scope());
        }
        claims.client().ifPresent(clientId -> body.add("client_id", clientId));
        body.add("token_type", "Bearer");
        if (claims.clientToken()) {
            // an extension member (§2.2 allows them): the token is the client's own, no user is involved
            body.add(TokenService.CLIENT_TOKEN_CLAIM, TokenService.CLIENT_TOKEN);
        }
        body.add("exp", claims.expiresAt().getEpochSecond());
        claims.issued().ifPresent(iat -> body.add("iat", iat.getEpochSecond()));
        body.add("iss", claims.issuer());
        List<String> audience = claims.audience();
        if (audience.size() == 1) {
            body.add("aud", audience.getFirst());
        } else {
            body.add("aud", JsonErrors.JSON.createArrayBuilder(audience));
        }
        return body.add("jti", claims.jti()).build();
    }
}
