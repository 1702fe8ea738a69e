package dev.tokenservice;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The OpenAPI document at {@code /openapi} against the real routing: every route the service registers is
 * documented, every documented operation is served, and the OAuth2 scheme matches the token endpoint.
 */
class OpenApiDocumentTest {
    /** Routes of the server features (health, metrics), which the document describes for operators. */
    private static final String FEATURES = "/observe";

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            JsonObject document = document(running);
            Set<String> documented = new TreeSet<>();
            document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().keySet()
                    .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

            RouteRecorder recorder = new RouteRecorder("");
            TestApp.shared().routes(recorder);
            Set<String> registered = new TreeSet<>(recorder.operations);
            assertThat("only /docs registers routes the recorder cannot read", recorder.opaque,
                       is(List.of("/docs")));
            // the redirect of the service's address to the docs is for browsers, not part of the API
            assertThat(registered.remove("GET /"), is(true));

            Set<String> documentedApp = new TreeSet<>(documented);
            documentedApp.removeIf(operation -> operation.contains(" " + FEATURES));
            assertThat(registered, is(documentedApp));

            for (String operation : documented) {
                String method = operation.substring(0, operation.indexOf(' '));
                String path = operation.substring(operation.indexOf(' ') + 1).replace("{item_id}", "1");
                try (Http1ClientResponse res = running.client().method(Method.create(method)).path(path).request()) {
                    assertThat(operation, res.status(), not(Status.NOT_FOUND_404));
                    assertThat(operation, res.status(), not(Status.METHOD_NOT_ALLOWED_405));
                }
            }
        }
    }

    @Test
    void theServiceAddressLeadsToTheDocs() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            try (Http1ClientResponse res = running.client().get("/").followRedirects(false).request()) {
                assertThat(res.status(), is(Status.FOUND_302));
                assertThat(res.headers().get(io.helidon.http.HeaderNames.LOCATION).get(), is("/docs/"));
            }
            // only the root: other unknown paths stay a JSON 404
            try (Http1ClientResponse res = running.client().get("/nothing").request()) {
                assertThat(res.status(), is(Status.NOT_FOUND_404));
            }
        }
    }

    @Test
    void credentialCheckingOperationsDocumentTheirRefusals() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            JsonObject document = document(running);
            for (String path : List.of("/token", "/revoke", "/introspect")) {
                JsonObject responses = document.getJsonObject("paths").getJsonObject(path).getJsonObject("post")
                        .getJsonObject("responses");
                assertThat(path, responses.getJsonObject("429").getString("$ref"),
                           is("#/components/responses/Throttled"));
                assertThat(path, responses.getJsonObject("503").getString("$ref"),
                           is("#/components/responses/Busy"));
            }
            for (String response : List.of("Throttled", "Busy")) {
                assertThat(response, document.getJsonObject("components").getJsonObject("responses")
                        .getJsonObject(response).getJsonObject("headers").containsKey("Retry-After"), is(true));
            }
        }
    }

    @Test
    void passwordFlowOfTheSecuritySchemeIsTheTokenEndpointWithTheServiceScopes() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            JsonObject oauth2 = document(running).getJsonObject("components").getJsonObject("securitySchemes")
                    .getJsonObject("oauth2");
            assertThat(oauth2.getString("type"), is("oauth2"));
            JsonObject password = oauth2.getJsonObject("flows").getJsonObject("password");
            assertThat(password.getString("tokenUrl"), is("/token"));
            assertThat(password.getJsonObject("scopes").keySet(), is(Set.of("me", "items")));
            try (Http1ClientResponse res = running.client().get("/openapi").request()) {
                assertThat(res.as(String.class), startsWith("openapi: 3.0"));
            }
        }
    }

    @Test
    void clientCredentialsFlowIsItsOwnSchemeListedOnlyWhereClientTokensAreServed() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            JsonObject document = document(running);
            JsonObject scheme = document.getJsonObject("components").getJsonObject("securitySchemes")
                    .getJsonObject("oauth2Client");
            assertThat(scheme.getString("type"), is("oauth2"));
            assertThat(scheme.getJsonObject("flows").keySet(), is(Set.of("clientCredentials")));
            JsonObject flow = scheme.getJsonObject("flows").getJsonObject("clientCredentials");
            assertThat(flow.getString("tokenUrl"), is("/token"));
            assertThat(flow.getJsonObject("scopes").keySet(), is(Set.of("me", "items")));
            assertThat(schemes(document, "/items/{item_id}", "get"), is(Set.of("oauth2", "oauth2Client")));
            assertThat(schemes(document, "/users/me", "get"), is(Set.of("oauth2")));
            assertThat(schemes(document, "/users/me/logout", "post"), is(Set.of("oauth2")));
            assertThat(document.getJsonObject("components").getJsonObject("schemas").getJsonObject("TokenRequest")
                               .getJsonObject("properties").getJsonObject("grant_type").getJsonArray("enum")
                               .getValuesAs(jakarta.json.JsonString.class).stream()
                               .map(jakarta.json.JsonString::getString).toList(),
                       is(dev.tokenservice.oauth.GrantTypes.ALL));
        }
    }

    private static Set<String> schemes(JsonObject document, String path, String method) {
        Set<String> names = new TreeSet<>();
        document.getJsonObject("paths").getJsonObject(path).getJsonObject(method).getJsonArray("security")
                .getValuesAs(JsonObject.class).forEach(requirement -> names.addAll(requirement.keySet()));
        return names;
    }

    private static JsonObject document(TestApp.Running running) {
        try (Http1ClientResponse res = running.client().get("/openapi").queryParam("format", "JSON").request()) {
            assertThat(res.status(), is(Status.OK_200));
            return Json.createReader(new StringReader(res.as(String.class))).readObject();
        }
    }

    /**
     * Records what services register: method and full path of each route ({@code any} routes are the 405
     * answers, not operations).
     */
    private static final class RouteRecorder implements HttpRules {
        private final String prefix;
        private final Set<String> operations;
        private final List<String> opaque;

        RouteRecorder(String prefix) {
            this(prefix, new TreeSet<>(), new ArrayList<>());
        }

        private RouteRecorder(String prefix, Set<String> operations, List<String> opaque) {
            this.prefix = prefix;
            this.operations = operations;
            this.opaque = opaque;
        }

        @Override
        public HttpRules register(HttpService... services) {
            for (HttpService service : services) {
                service.routing(this);
            }
            return this;
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            RouteRecorder child = new RouteRecorder(prefix + pathPattern, operations, opaque);
            for (HttpService service : services) {
                service.routing(child);
            }
            return this;
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Handler handler) {
            String path = prefix + pathPattern;
            operations.add(method.text() + " " + (path.length() > 1 && path.endsWith("/")
                    ? path.substring(0, path.length() - 1) : path));
            return this;
        }

        @Override
        public HttpRules any(String pathPattern, Handler... handlers) {
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            if (!opaque.contains(prefix)) {
                opaque.add(prefix);
            }
            return this;
        }
    }
}
