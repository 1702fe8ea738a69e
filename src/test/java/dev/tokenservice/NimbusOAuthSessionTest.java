package dev.tokenservice;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Whole sessions driven by the Nimbus OAuth 2.0 SDK ({@code com.nimbusds:oauth2-oidc-sdk}), a client library no
 * one here wrote: its request classes build the HTTP requests (client authentication included) and its response
 * classes parse the answers, so the wire format is checked by their code, not ours.
 */
class NimbusOAuthSessionTest {
    /** Needs form-urlencoding in the Basic header (RFC 6749 §2.3.1), which the SDK does. */
    private static final ClientSecretBasic CONFIDENTIAL = new ClientSecretBasic(new ClientID("test:special client"),
                                                                                new Secret("p@ss:w rd+%&é"));
    private static final ClientSecretBasic RESOURCE_SERVER = new ClientSecretBasic(new ClientID("test-rs"),
                                                                                   new Secret("rs-secret"));
    private static final ClientID PUBLIC_CLIENT = new ClientID("test-public");
    private static final ClientSecretBasic SERVICE = new ClientSecretBasic(new ClientID("test-service"),
                                                                           new Secret("service-secret"));

    private static TestApp.Running running;
    private static URI base;

    @BeforeAll
    static void start() {
        running = TestApp.start(TestApp.create(Map.of()).server());
        base = URI.create("http://localhost:" + running.server().port());
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void confidentialClientSession() throws Exception {
        // log in: password grant, Basic client authentication
        AccessTokenResponse login = success(new TokenRequest(uri("/token"), CONFIDENTIAL, password(),
                                                             new Scope("me", "items")));
        AccessToken accessToken = login.getTokens().getAccessToken();
        RefreshToken refreshToken = login.getTokens().getRefreshToken();
        assertThat(accessToken.getType(), is(AccessTokenType.BEARER));
        assertThat(accessToken.getLifetime(), is(1800L));
        assertThat(accessToken.getScope(), is(new Scope("me", "items")));
        assertThat(refreshToken, not(nullValue()));
        assertThat(me(accessToken), is(200));

        // refresh: new access and refresh tokens, narrowed scope
        AccessTokenResponse refreshed = success(new TokenRequest(uri("/token"), CONFIDENTIAL,
                                                                 new RefreshTokenGrant(refreshToken),
                                                                 new Scope("me")));
        AccessToken accessToken2 = refreshed.getTokens().getAccessToken();
        RefreshToken refreshToken2 = refreshed.getTokens().getRefreshToken();
        assertThat(accessToken2.getScope(), is(new Scope("me")));
        assertThat(refreshToken2, not(refreshToken));

        // introspect as the resource server
        TokenIntrospectionSuccessResponse active = introspect(accessToken2);
        assertThat(active.isActive(), is(true));
        assertThat(active.getScope(), is(new Scope("me")));
        assertThat(active.getClientID(), is(CONFIDENTIAL.getClientID()));
        assertThat(active.getUsername(), is("alice"));
        assertThat(active.getSubject(), is(new Subject("alice")));
        assertThat(active.getTokenType(), is(AccessTokenType.BEARER));
        assertThat(active.getIssuer(), is(new Issuer("https://auth.test")));
        assertThat(active.getAudience(), is(List.of(new Audience("test-api"))));
        var claims = SignedJWT.parse(accessToken2.getValue()).getJWTClaimsSet();
        assertThat(active.getExpirationTime(), is(claims.getExpirationTime()));
        assertThat(active.getIssueTime(), is(claims.getIssueTime()));
        assertThat(active.getJWTID().getValue(), is(claims.getJWTID()));

        // revoke the access token: inactive, refused; the session itself goes on
        assertThat(revoke(CONFIDENTIAL, accessToken2), is(200));
        assertThat(introspect(accessToken2).isActive(), is(false));
        assertThat(me(accessToken2), is(401));
        AccessTokenResponse again = success(new TokenRequest(uri("/token"), CONFIDENTIAL,
                                                             new RefreshTokenGrant(refreshToken2)));

        // revoke the refresh token: the session ends
        assertThat(revoke(CONFIDENTIAL, again.getTokens().getRefreshToken()), is(200));
        ErrorObject error = error(new TokenRequest(uri("/token"), CONFIDENTIAL,
                                                   new RefreshTokenGrant(again.getTokens().getRefreshToken())));
        assertThat(error.getCode(), is("invalid_grant"));
        assertThat(introspect(again.getTokens().getAccessToken()).isActive(), is(false));
    }

    @Test
    void publicClientSessionWithReuseDetection() throws Exception {
        AccessTokenResponse login = success(new TokenRequest(uri("/token"), PUBLIC_CLIENT, password(), null));
        RefreshToken first = login.getTokens().getRefreshToken();
        RefreshToken second = success(new TokenRequest(uri("/token"), PUBLIC_CLIENT, new RefreshTokenGrant(first),
                                                       null)).getTokens().getRefreshToken();

        // the first token again: refused, and the whole family with it
        assertThat(error(new TokenRequest(uri("/token"), PUBLIC_CLIENT, new RefreshTokenGrant(first), null))
                           .getCode(), is("invalid_grant"));
        assertThat(error(new TokenRequest(uri("/token"), PUBLIC_CLIENT, new RefreshTokenGrant(second), null))
                           .getCode(), is("invalid_grant"));
        assertThat(me(login.getTokens().getAccessToken()), is(401));

        // a public client revokes by client_id alone
        AccessTokenResponse other = success(new TokenRequest(uri("/token"), PUBLIC_CLIENT, password(), null));
        HTTPResponse revoked = new TokenRevocationRequest(uri("/revoke"), PUBLIC_CLIENT,
                                                          other.getTokens().getRefreshToken()).toHTTPRequest().send();
        assertThat(revoked.getStatusCode(), is(200));
    }

    @Test
    void clientCredentialsSession() throws Exception {
        // a token of the client's own: no refresh token (RFC 6749 §4.4.3)
        AccessTokenResponse issued = success(new TokenRequest(uri("/token"), SERVICE, new ClientCredentialsGrant(),
                                                              null));
        AccessToken accessToken = issued.getTokens().getAccessToken();
        assertThat(accessToken.getType(), is(AccessTokenType.BEARER));
        // the client may have "me": the refusal on /users/me below is for what the token is, not for its scope
        assertThat(accessToken.getScope(), is(new Scope("me", "items")));
        assertThat(issued.getTokens().getRefreshToken(), is(nullValue()));

        // served where client tokens are, refused on a route for users even though a user "test-service" exists
        assertThat(status("/items/7", accessToken), is(200));
        assertThat(status("/users/me", accessToken), is(403));

        // introspection names the client as subject and as client, and no user
        TokenIntrospectionSuccessResponse active = introspect(accessToken);
        assertThat(active.isActive(), is(true));
        assertThat(active.getClientID(), is(SERVICE.getClientID()));
        assertThat(active.getSubject(), is(new Subject("test-service")));
        assertThat(active.getUsername(), is(nullValue()));
        assertThat(active.getScope(), is(new Scope("me", "items")));
        assertThat(active.getTokenType(), is(AccessTokenType.BEARER));
        assertThat(active.getStringParameter("gty"), is("client_credentials"));

        // another client may not revoke it; the client itself may, with its secret in the form this time
        assertThat(revoke(CONFIDENTIAL, accessToken), is(400));
        assertThat(introspect(accessToken).isActive(), is(true));
        assertThat(revoke(new ClientSecretPost(SERVICE.getClientID(), SERVICE.getClientSecret()), accessToken),
                   is(200));
        assertThat(introspect(accessToken).isActive(), is(false));
        assertThat(status("/items/7", accessToken), is(401));

        // a wrong secret is invalid_client, a public client unauthorized_client
        ErrorObject wrong = error(new TokenRequest(uri("/token"), new ClientSecretBasic(SERVICE.getClientID(),
                                                                                         new Secret("wrong")),
                                                   new ClientCredentialsGrant(), null));
        assertThat(wrong.getCode(), is("invalid_client"));
        assertThat(wrong.getHTTPStatusCode(), is(401));
        // the SDK builds no client credentials request without client authentication: an empty secret it is
        ErrorObject publicClient = error(new TokenRequest(uri("/token"), new ClientSecretBasic(PUBLIC_CLIENT,
                                                                                               new Secret("")),
                                                          new ClientCredentialsGrant(), null));
        assertThat(publicClient.getCode(), is("unauthorized_client"));
    }

    @Test
    void clientErrorsParseAsRfc6749Errors() throws Exception {
        ClientAuthentication wrong = new ClientSecretPost(RESOURCE_SERVER.getClientID(), new Secret("wrong"));
        ErrorObject badSecret = error(new TokenRequest(uri("/token"), wrong, password(), null));
        assertThat(badSecret.getCode(), is("invalid_client"));
        assertThat(badSecret.getHTTPStatusCode(), is(401));

        ErrorObject notAllowed = error(new TokenRequest(uri("/token"), RESOURCE_SERVER, password(), null));
        assertThat(notAllowed.getCode(), is("unauthorized_client"));

        HTTPResponse publicIntrospection = new TokenIntrospectionRequest(
                uri("/introspect"), new ClientSecretBasic(PUBLIC_CLIENT, new Secret("")),
                new com.nimbusds.oauth2.sdk.token.BearerAccessToken("x")).toHTTPRequest().send();
        assertThat(TokenIntrospectionResponse.parse(publicIntrospection).toErrorResponse().getErrorObject().getCode(),
                   is("invalid_client"));
    }

    private static AuthorizationGrant password() {
        return new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-password"));
    }

    private static URI uri(String path) {
        return base.resolve(path);
    }

    private static AccessTokenResponse success(TokenRequest request) throws Exception {
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(String.valueOf(response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject()),
                   response.indicatesSuccess(), is(true));
        return response.toSuccessResponse();
    }

    private static ErrorObject error(TokenRequest request) throws Exception {
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess(), is(false));
        return ((TokenErrorResponse) response).getErrorObject();
    }

    private static TokenIntrospectionSuccessResponse introspect(Token token) throws Exception {
        HTTPResponse response = new TokenIntrospectionRequest(uri("/introspect"), RESOURCE_SERVER, token)
                .toHTTPRequest().send();
        return TokenIntrospectionResponse.parse(response).toSuccessResponse();
    }

    private static int revoke(ClientAuthentication client, Token token) throws Exception {
        return new TokenRevocationRequest(uri("/revoke"), client, token).toHTTPRequest().send().getStatusCode();
    }

    private static int me(AccessToken accessToken) throws Exception {
        return status("/users/me", accessToken);
    }

    private static int status(String path, AccessToken accessToken) throws Exception {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri(path));
        request.setAuthorization(accessToken.toAuthorizationHeader());
        return request.send().getStatusCode();
    }
}
