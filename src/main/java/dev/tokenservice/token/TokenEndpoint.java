package dev.tokenservice.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code POST /token}, the OAuth2 token endpoint (RFC 6749 §3.2): reads the form, authenticates the client,
 * hands the request to the grant named by {@code grant_type} and answers as §5.1 and §5.2 say.
 * <p>
 * {@code curl -d grant_type=password -d username=john.doe -d password=securepassword http://localhost:8080/token}
 */
public final class TokenEndpoint implements HttpService {
    private static final String BASIC_CHALLENGE = "Basic realm=\"token\", charset=\"UTF-8\"";

    private final Map<String, TokenGrant> grants = new LinkedHashMap<>();

    /**
     * Creates the endpoint.
     *
     * @param grants the grant types served
     */
    public TokenEndpoint(List<TokenGrant> grants) {
        grants.forEach(grant -> this.grants.put(grant.grantType(), grant));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::token)
                .any("/", ErrorHandling.methodNotAllowed(Method.POST));
    }

    private void token(ServerRequest req, ServerResponse res) {
        // §5.1: tokens and credentials must not be cached, errors included
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        try {
            TokenRequest request = read(req);
            ClientCredentials client = ClientCredentials.read(req.headers(), request);
            if (!client.secret().isEmpty()) {
                throw OAuthError.invalidClient("Unknown client or wrong client secret");
            }
            String grantType = request.required("grant_type");
            TokenGrant grant = grants.get(grantType);
            if (grant == null) {
                throw OAuthError.unsupportedGrantType("Supported grant types: " + String.join(" ", grants.keySet()));
            }
            res.send(success(grant.grant(request)));
        } catch (OAuthError e) {
            if (e.status() == Status.UNAUTHORIZED_401) {
                res.header(HeaderNames.WWW_AUTHENTICATE, BASIC_CHALLENGE);
            }
            JsonErrors.send(res, e.status(), e.error(), e.getMessage());
        }
    }

    private static TokenRequest read(ServerRequest req) {
        boolean form = req.headers().contentType()
                .map(HttpMediaType::mediaType)
                .filter(MediaTypes.APPLICATION_FORM_URLENCODED::equals)
                .isPresent();
        if (!form) {
            throw OAuthError.invalidRequest("The token request must be sent as application/x-www-form-urlencoded");
        }
        Parameters parameters;
        try {
            parameters = req.content().as(Parameters.class);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("The form body is not valid application/x-www-form-urlencoded");
        }
        return TokenRequest.of(parameters);
    }

    private static JsonObject success(TokenService.AccessToken token) {
        JsonObjectBuilder body = JsonErrors.JSON.createObjectBuilder()
                .add("access_token", token.token())
                .add("token_type", "Bearer")
                .add("expires_in", token.expiresIn());
        if (!token.scope().isEmpty()) {
            body.add("scope", token.scope());
        }
        return body.build();
    }
}
