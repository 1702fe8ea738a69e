package dev.tokenservice;

import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code /.well-known/jwks.json} and {@code /.well-known/oauth-authorization-server}.
 */
class DiscoveryTest {
    @Test
    void jwksIsCacheableForAShortTimeAndRevalidatesWithItsEtag() {
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of("app.keys.algorithm", "ES256")).server())) {
            String etag;
            try (Http1ClientResponse res = running.client().get("/.well-known/jwks.json").request()) {
                assertThat(res.status(), is(Status.OK_200));
                assertThat(res.headers().contentType().orElseThrow().text(), is("application/jwk-set+json"));
                assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("public, max-age=300"));
                etag = res.headers().get(HeaderNames.ETAG).get();
                JsonObject key = jakarta.json.Json.createReader(new java.io.StringReader(res.as(String.class)))
                        .readObject().getJsonArray("keys").getJsonObject(0);
                assertThat(key.getString("alg"), is("ES256"));
                assertThat(key.getString("use"), is("sig"));
                assertThat(key.containsKey("d"), is(false));
            }
            try (Http1ClientResponse res = running.client().get("/.well-known/jwks.json")
                    .header(HeaderNames.IF_NONE_MATCH, etag).request()) {
                assertThat(res.status(), is(Status.NOT_MODIFIED_304));
            }
        }
    }

    @Test
    void jwksOfAnHmacOnlyServiceIsEmpty() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            try (Http1ClientResponse res = running.client().get("/.well-known/jwks.json").request()) {
                assertThat(res.as(String.class), is("{\"keys\":[]}"));
            }
        }
    }

    @Test
    void metadataBuildsEveryUrlFromTheIssuer() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            JsonObject metadata = get(running, "/.well-known/oauth-authorization-server");
            assertThat(metadata.getString("issuer"), is("https://auth.test"));
            assertThat(metadata.getString("token_endpoint"), is("https://auth.test/token"));
            assertThat(metadata.getString("jwks_uri"), is("https://auth.test/.well-known/jwks.json"));
            assertThat(strings(metadata, "grant_types_supported"), is(List.of("password", "refresh_token", "client_credentials")));
            assertThat(strings(metadata, "response_types_supported"), is(List.of()));
            assertThat(strings(metadata, "scopes_supported"), is(List.of("me", "items")));
            assertThat(strings(metadata, "token_endpoint_auth_methods_supported"),
                       is(List.of("client_secret_basic", "client_secret_post", "none")));
            assertThat(metadata.getString("revocation_endpoint"), is("https://auth.test/revoke"));
            assertThat(strings(metadata, "revocation_endpoint_auth_methods_supported"),
                       is(List.of("client_secret_basic", "client_secret_post", "none")));
            assertThat(metadata.getString("introspection_endpoint"), is("https://auth.test/introspect"));
            assertThat(metadata.getString("service_documentation"), is("https://auth.test/docs"));
            assertThat(strings(metadata, "introspection_endpoint_auth_methods_supported"),
                       is(List.of("client_secret_basic", "client_secret_post")));
        }
    }

    @Test
    void issuerWithAPathIsAlsoServedAfterTheWellKnownSegment() {
        TestApp.Instance instance = TestApp.create(Map.of("app.token.issuer", "https://auth.test/tenant-a"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            JsonObject metadata = get(running, "/.well-known/oauth-authorization-server/tenant-a");
            assertThat(metadata.getString("issuer"), is("https://auth.test/tenant-a"));
            assertThat(metadata.getString("token_endpoint"), is("https://auth.test/tenant-a/token"));
            assertThat(get(running, "/.well-known/oauth-authorization-server"), is(metadata));
        }
    }

    @Test
    void wrongMethodIs405() {
        try (TestApp.Running running = TestApp.start(TestApp.shared());
                Http1ClientResponse res = running.client().post("/.well-known/jwks.json").request()) {
            assertThat(res.status(), is(Status.METHOD_NOT_ALLOWED_405));
        }
    }

    private static JsonObject get(TestApp.Running running, String path) {
        try (Http1ClientResponse res = running.client().get(path).request()) {
            assertThat(path, res.status(), is(Status.OK_200));
            return res.as(JsonObject.class);
        }
    }

    private static List<String> strings(JsonObject object, String member) {
        return object.getJsonArray(member).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
