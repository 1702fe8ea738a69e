package dev.tokenservice.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tokenservice.clients.Client;
import dev.tokenservice.clients.ClientAuthenticator;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.oauth.ClientCredentials;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.ops.ServiceMetrics;
import dev.tokenservice.protection.ClientAddresses;
import dev.tokenservice.store.StoreUnavailableException;
import dev.tokenservice.token.TokenGrant;
import dev.tokenservice.token.TokenResponse;
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
 * {@code POST /token}, the OAuth2 token endpoint (RFC 6749 §3.2): reads the form, authenticates the client,
 * hands the request to the grant named by {@code grant_type} if the client may use it, and answers as §5.1 and
 * §5.2 say.
 * <p>
 * {@code curl -d grant_type=password -d username=john.doe -d password=securepassword http://localhost:8080/token}
 */
public final class TokenEndpoint implements HttpService {
    private final ClientAuthenticator clients;
    private final ClientAddresses addresses;
    private final Map<String, TokenGrant> grants = new LinkedHashMap<>();
    private final ServiceMetrics metrics;
    private final SecurityEvents events;

    /**
     * Creates the endpoint.
     *
     * @param metrics where issued tokens and errors are counted
     */
    public TokenEndpoint(ClientAuthenticator clients, ClientAddresses addresses, List<TokenGrant> grants,
                         ServiceMetrics metrics) {
        this(clients, addresses, grants, metrics, SecurityEvents.NONE);
    }

    /**
     * Creates the endpoint, which reports a client refused a grant type (the grants report the rest).
     *
     * @param clients   client authentication
     * @param addresses where requests come from
     * @param grants    the grant types served
     * @param metrics   where issued tokens and errors are counted
     * @param events    where the events go
     */
    public TokenEndpoint(ClientAuthenticator clients, ClientAddresses addresses, List<TokenGrant> grants,
                         ServiceMetrics metrics, SecurityEvents events) {
        this.events = events;
        this.clients = clients;
        this.addresses = addresses;
        this.metrics = metrics;
        grants.forEach(grant -> this.grants.put(grant.grantType(), grant));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::token)
                .any("/", ErrorHandling.methodNotAllowed(Method.POST));
    }

    private void token(ServerRequest req, ServerResponse res) {
        // §5.1: tokens and credentials must not be cached, errors included
        OAuthResponses.noStore(res);
        try {
            TokenRequest request = FormRequests.read(req, addresses.of(req));
            ClientCredentials credentials = ClientCredentials.read(req.headers(), request);
            Client client = clients.authenticate(credentials, request.clientAddress());
            String grantType = request.required("grant_type");
            TokenGrant grant = grants.get(grantType);
            if (grant == null) {
                throw OAuthError.unsupportedGrantType("Supported grant types: " + String.join(" ", grants.keySet()));
            }
            if (grant.confidentialClientsOnly() && !client.confidential()) {
                refusedGrant(grantType, client, request);
                throw credentials.none()
                        // the default public client stands in for "no client authentication included" (§5.2)
                        ? OAuthError.invalidClient("The grant type '" + grantType + "' needs client authentication:"
                                                           + " the client id and secret of a confidential client")
                        : OAuthError.unauthorizedClient("The grant type '" + grantType + "' is for confidential"
                                                                + " clients only (RFC 6749 section 4.4)");
            }
            if (!client.allows(grantType)) {
                refusedGrant(grantType, client, request);
                throw OAuthError.unauthorizedClient("This client may not use the grant type '" + grantType + "'");
            }
            TokenResponse response = grant.grant(request, client);
            metrics.tokenIssued(grantType);
            res.send(success(response));
        } catch (OAuthError e) {
            metrics.tokenError(e.error());
            OAuthResponses.error(res, e);
        } catch (StoreUnavailableException e) {
            metrics.tokenError("temporarily_unavailable");
            OAuthResponses.unavailable(res);
        }
    }

    /** A client asked for a grant type it may not use: an event of the grant's type. */
    private void refusedGrant(String grantType, Client client, TokenRequest request) {
        String type = switch (grantType) {
        case GrantTypes.PASSWORD -> EventTypes.LOGIN;
        case GrantTypes.REFRESH_TOKEN -> EventTypes.REFRESH;
        default -> EventTypes.CLIENT_CREDENTIALS;
        };
        SecurityEvent.Builder event = SecurityEvent.failure(type, Reasons.UNAUTHORIZED_CLIENT).clientId(client.id())
                .address(request.clientAddress());
        if (type.equals(EventTypes.LOGIN)) {
            request.optional("username").ifPresent(event::username);
        }
        events.emit(event.build());
    }

    private static JsonObject success(TokenResponse response) {
        TokenService.AccessToken token = response.accessToken();
        JsonObjectBuilder body = JsonErrors.JSON.createObjectBuilder()
                .add("access_token", token.token())
                .add("token_type", "Bearer")
                .add("expires_in", token.expiresIn());
        if (!token.scope().isEmpty()) {
            body.add("scope", token.scope());
        }
        response.refresh().ifPresent(refreshToken -> body.add("refresh_token", refreshToken));
        return body.build();
    }
}
