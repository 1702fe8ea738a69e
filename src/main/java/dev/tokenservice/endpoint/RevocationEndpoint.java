package dev.tokenservice.endpoint;

import java.util.Optional;

import dev.tokenservice.clients.Client;
import dev.tokenservice.clients.ClientAuthenticator;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.oauth.ClientCredentials;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.protection.ClientAddresses;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.RefreshSession;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.store.StoreUnavailableException;
import dev.tokenservice.token.AccessTokenCheck;
import dev.tokenservice.token.AccessTokenClaims;
import dev.tokenservice.web.ErrorHandling;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /revoke}, token revocation (RFC 7009), client-authenticated as the token endpoint is.
 * <ul>
 *     <li>A refresh token revokes its whole family, and the access tokens issued under it (§2.1).</li>
 *     <li>An access token is refused by every protected route until it expires.</li>
 *     <li>An unknown, invalid, expired or already revoked token changes nothing and gets 200 too (§2.2): the
 *     client wanted it gone, and it is.</li>
 *     <li>A token issued to another client is refused with {@code unauthorized_client} and stays valid (§2.1:
 *     the server verifies that the token was issued to the client making the request, and refuses otherwise).</li>
 *     <li>{@code token_type_hint} is ignored (§2.1 allows it): both kinds are looked up, each in constant time.</li>
 * </ul>
 * Success is 200 with an empty body; the client reads only the status (§2.2).
 * <p>
 * {@code curl -d token=$REFRESH_TOKEN http://localhost:8080/revoke}
 */
public final class RevocationEndpoint implements HttpService {
    private final ClientAuthenticator clients;
    private final ClientAddresses addresses;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokenCheck accessTokens;
    private final RevokedTokens revoked;
    private final SecurityEvents events;

    /**
     * Creates the endpoint.
     *
     * @param accessTokens  the bearer path, which decides whether a token is valid
     */
    public RevocationEndpoint(ClientAuthenticator clients, ClientAddresses addresses,
                              RefreshTokenStore refreshTokens,
                              AccessTokenCheck accessTokens, RevokedTokens revoked) {
        this(clients, addresses, refreshTokens, accessTokens, revoked, SecurityEvents.NONE);
    }

    /**
     * Creates the endpoint, which reports each revocation and each refused one.
     *
     * @param clients       client authentication
     * @param addresses     where requests come from
     * @param refreshTokens refresh token families
     * @param accessTokens  the bearer path, which decides whether a token is valid
     * @param revoked       revoked access tokens
     * @param events        where the events go
     */
    public RevocationEndpoint(ClientAuthenticator clients, ClientAddresses addresses,
                              RefreshTokenStore refreshTokens, AccessTokenCheck accessTokens, RevokedTokens revoked,
                              SecurityEvents events) {
        this.events = events;
        this.clients = clients;
        this.addresses = addresses;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.revoked = revoked;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::revoke)
                .any("/", ErrorHandling.methodNotAllowed(Method.POST));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        OAuthResponses.noStore(res);
        try {
            TokenRequest request = FormRequests.read(req, addresses.of(req));
            Client client = clients.authenticate(ClientCredentials.read(req.headers(), request),
                                                 request.clientAddress());
            String token = request.required("token");
            if (token.indexOf('.') >= 0) {
                // a JWT: never a refresh token (base64url has no dot), so no store lookup; in an outage the id is
                // refused here at once, and everywhere once the store returns
                Optional<AccessTokenClaims> claims = accessTokens.verify(token);
                if (claims.isPresent()) {
                    SecurityEvent.Builder event = revocation(client, request).jti(claims.get().jti());
                    if (!claims.get().clientToken()) {
                        event.username(claims.get().subject());
                    }
                    requireOwner(client, claims.get().clientId(), event);
                    revoked.revoke(new AccessTokenId(claims.get().jti(), claims.get().expiresAt()));
                    events.emit(event.build());
                }
            } else {
                Optional<RefreshSession> session = refreshTokens.find(token);
                if (session.isPresent()) {
                    SecurityEvent.Builder event = revocation(client, request).username(session.get().username())
                            .sessionId(session.get().familyId());
                    requireOwner(client, session.get().clientId(), event);
                    if (refreshTokens.revokeFamily(session.get().familyId())) {
                        events.emit(event.build());
                    }
                }
            }
            res.status(Status.OK_200).send();
        } catch (OAuthError e) {
            OAuthResponses.error(res, e);
        } catch (StoreUnavailableException e) {
            OAuthResponses.unavailable(res);
        }
    }

    private void requireOwner(Client client, String owner, SecurityEvent.Builder revocation) {
        if (!client.id().equals(owner)) {
            SecurityEvent done = revocation.build();
            events.emit(SecurityEvent.failure(EventTypes.REVOCATION, Reasons.OTHER_CLIENT).clientId(client.id())
                                .address(done.address()).username(done.username()).sessionId(done.sessionId())
                                .jti(done.jti()).build());
            throw OAuthError.unauthorizedClient("The token was not issued to this client");
        }
    }

    private static SecurityEvent.Builder revocation(Client client, TokenRequest request) {
        return SecurityEvent.success(EventTypes.REVOCATION).reason(Reasons.REVOKE).clientId(client.id())
                .address(request.clientAddress());
    }
}
