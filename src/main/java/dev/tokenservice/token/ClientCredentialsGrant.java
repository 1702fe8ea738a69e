package dev.tokenservice.token;

import java.util.Set;

import dev.tokenservice.clients.Client;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;

/**
 * The client credentials grant, RFC 6749 §4.4: a confidential client asks for a token of its own, with no user,
 * for calls it makes on its own behalf (a batch job, another service).
 * <ul>
 *     <li>Only for confidential clients (§4.4: the client MUST authenticate); the token endpoint refuses a public
 *     client and a request without client credentials before this grant runs ({@link #confidentialClientsOnly()}).
 *     </li>
 *     <li>The scopes granted are those asked for (all the client's when none are, §3.3) that the client may have;
 *     an unknown scope, or none of those asked allowed, is {@code invalid_scope}.</li>
 *     <li>The token follows RFC 9068 §2.2 with the client as subject ({@link TokenService#issueToClient}); no
 *     refresh token is issued (§4.4.3): the client asks again with its credentials.</li>
 * </ul>
 * <p>
 * {@code curl -u batch-job:demo-batch-secret -d grant_type=client_credentials http://localhost:8080/token}
 */
public record ClientCredentialsGrant(Scopes scopes, TokenService tokens, SecurityEvents events)
        implements TokenGrant {
    /** A grant that reports no event. */
    public ClientCredentialsGrant(Scopes scopes, TokenService tokens) {
        this(scopes, tokens, SecurityEvents.NONE);
    }

    @Override
    public String grantType() {
        return GrantTypes.CLIENT_CREDENTIALS;
    }

    @Override
    public boolean confidentialClientsOnly() {
        return true;
    }

    @Override
    public TokenResponse grant(TokenRequest request, Client client) {
        // no scope asked means everything the client may have
        Set<String> granted;
        try {
            granted = scopes.grant(request.optional("scope"), client.scopes(), client.scopes());
        } catch (OAuthError e) {
            events.emit(SecurityEvent.failure(EventTypes.CLIENT_CREDENTIALS, Reasons.INVALID_SCOPE)
                                .clientId(client.id()).address(request.clientAddress()).build());
            throw e;
        }
        TokenService.AccessToken token = tokens.issueToClient(client.id(), granted);
        events.emit(SecurityEvent.success(EventTypes.CLIENT_CREDENTIALS).clientId(client.id())
                            .address(request.clientAddress()).jti(token.id().jti()).build());
        return new TokenResponse(token, null);
    }
}
