package dev.tokenservice.discovery;

import java.net.URI;
import java.util.List;

import dev.tokenservice.token.Scopes;
import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * {@code GET /.well-known/oauth-authorization-server}: authorization server metadata (RFC 8414). Every URL is built
 * from the configured issuer, the value of the {@code iss} claim, so a client that checks one can trust the other.
 * When the issuer has a path, the document is also served where §3.1 puts it: after the well-known segment.
 */
public final class MetadataEndpoint implements HttpService {
    private static final String WELL_KNOWN = "/oauth-authorization-server";

    private final String issuerPath;
    private final JsonObject metadata;

    /**
     * Creates the endpoint.
     *
     * @param grantTypes the grant types the token endpoint serves
     */
    public MetadataEndpoint(String issuer, Scopes scopes, List<String> grantTypes) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        String path = URI.create(base).getPath();
        this.issuerPath = path == null ? "" : path;
        var scopeNames = JsonErrors.JSON.createArrayBuilder();
        scopes.names().forEach(scopeNames::add);
        var grants = JsonErrors.JSON.createArrayBuilder();
        grantTypes.forEach(grants::add);
        this.metadata = JsonErrors.JSON.createObjectBuilder()
                .add("issuer", issuer)
                .add("token_endpoint", base + "/token")
                .add("jwks_uri", base + "/.well-known/jwks.json")
                .add("grant_types_supported", grants)
                // no authorization endpoint: no response type is supported
                .add("response_types_supported", JsonErrors.JSON.createArrayBuilder())
                .add("scopes_supported", scopeNames)
                .add("token_endpoint_auth_methods_supported", methods(true))
                .add("revocation_endpoint", base + "/revoke")
                .add("revocation_endpoint_auth_methods_supported", methods(true))
                // introspection answers confidential clients only (RFC 7662 §2.1)
                .add("introspection_endpoint", base + "/introspect")
                .add("introspection_endpoint_auth_methods_supported", methods(false))
                // §2: human-readable documentation; the OpenAPI document it shows names every answer, 429 and 503
                // (throttled logins, overloaded password checks) included
                .add("service_documentation", base + "/docs")
                .build();
    }

    private static JsonArrayBuilder methods(boolean publicClients) {
        // RFC 6749 §2.3.1: HTTP Basic or the form; "none" is a public client sending its client_id alone
        JsonArrayBuilder methods = JsonErrors.JSON.createArrayBuilder()
                .add("client_secret_basic")
                .add("client_secret_post");
        return publicClients ? methods.add("none") : methods;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(WELL_KNOWN, this::metadata)
                .any(WELL_KNOWN, ErrorHandling.methodNotAllowed(Method.GET));
        if (!issuerPath.isEmpty()) {
            rules.get(WELL_KNOWN + issuerPath, this::metadata)
                    .any(WELL_KNOWN + issuerPath, ErrorHandling.methodNotAllowed(Method.GET));
        }
    }

    private void metadata(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        res.send(metadata);
    }
}
