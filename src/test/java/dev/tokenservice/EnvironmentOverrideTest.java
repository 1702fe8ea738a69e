package dev.tokenservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Runs {@link Main} as a process, the way it is deployed: an {@code application.yaml} in its working directory
 * over the built-in defaults, and environment variables over both.
 */
class EnvironmentOverrideTest {
    @TempDir
    Path workDir;

    @Test
    void environmentVariablesOverrideTheWorkingDirectoryFileAndTheDefaults() throws Exception {
        Files.writeString(workDir.resolve("application.yaml"), """
                app:
                  token:
                    ttl: PT10M
                    issuer: "https://from-file.test"
                  password:
                    bcrypt-cost: 4
                  users:
                    - username: "alice"
                      full-name: "Alice from the file"
                      password-hash: "$2a$04$NJQt.X4oHGaYUC.sTkbQNOd1B3EdFy.uVltAfNGgHXEyxg.nauQO6"
                      scopes: ["me", "items"]
                """);
        Map<String, String> env = Map.of(
                "APP_TOKEN_TTL", "PT2M",
                "APP_TOKEN_AUDIENCE", "audience-from-env",
                "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                "APP_KEYS_GENERATE", "true");
        try (ServiceProcess service = ServiceProcess.start(workDir, env)) {
            Http1Client client = TestApp.newClient(service.baseUri());
            String token;
            try (Http1ClientResponse res = client.post("/token")
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                    .submit("grant_type=password&username=alice&password=alice-password")) {
                assertThat(res.status(), is(Status.OK_200));
                JsonObject body = res.as(JsonObject.class);
                // env over file over defaults: ttl from env, issuer from the file, scopes from defaults
                assertThat(body.getInt("expires_in"), is(120));
                token = body.getString("access_token");
            }
            JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
            assertThat(claims.getIssuer(), is("https://from-file.test"));
            assertThat(claims.getAudience(), is(java.util.List.of("audience-from-env")));
            assertThat(Files.exists(workDir.resolve("keys/jwks.json")), is(true));

            // the JWT provider's jwt-audience follows app.token.audience: the env value reached it too
            try (Http1ClientResponse res = client.get("/users/me")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                assertThat(res.status(), is(Status.OK_200));
                assertThat(res.as(JsonObject.class).getString("full_name"), is("Alice from the file"));
            }
        }
    }

    @Test
    void withoutAnIssuerTheIssuerIsThisServerOnThePortItListensOn() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(
                "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                "APP_KEYS_GENERATE", "true"))) {
            String issuer = "http://localhost:" + service.port();
            JsonObject metadata = metadata(service);
            assertThat(metadata.getString("issuer"), is(issuer));
            assertThat(metadata.getString("token_endpoint"), is(issuer + "/token"));
            assertThat(metadata.getString("jwks_uri"), is(issuer + "/.well-known/jwks.json"));
            service.terminate();
            String output = service.awaitExit();
            assertThat(output, containsString("Token service up at " + issuer + " (API docs: " + issuer + "/docs/)"));
            assertThat(output, containsString("app.token.issuer is not set, so this is development"));
        }
    }

    @Test
    void anIssuerSetIsKeptAndPlainHttpOnAnotherHostIsWarnedAbout() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(
                "APP_TOKEN_ISSUER", "http://auth.example.com",
                "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                "APP_KEYS_GENERATE", "true"))) {
            assertThat(metadata(service).getString("issuer"), is("http://auth.example.com"));
            service.terminate();
            String output = service.awaitExit();
            assertThat(output, containsString("app.token.issuer http://auth.example.com is plain http on a host that is"
                                                      + " not loopback"));
            // no users in the built-in defaults, and this is not development
            assertThat(output, containsString("No users are configured (app.users, app.users-file)"));
        }
    }

    private static JsonObject metadata(ServiceProcess service) {
        Http1Client client = TestApp.newClient(service.baseUri());
        try (Http1ClientResponse res = client.get("/.well-known/oauth-authorization-server").request()) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class);
        }
    }
}
