package dev.tokenservice;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.config.ConfigurationException;
import dev.tokenservice.keys.InvalidKeySetException;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Configuration that must stop start-up, with a message that says what to fix.
 */
class StartupTest {
    @Test
    void malformedPasswordHashNamesTheUser() {
        assertStartFails(Map.of("app.users.1.password-hash", "not-a-hash"), "User 'bob' has a malformed password-hash");
    }

    @Test
    void duplicateUsernameNamesTheUser() {
        assertStartFails(Map.of("app.users.1.username", "alice"), "User 'alice' is configured more than once");
    }

    @Test
    void unknownScopeOfAUserNamesTheUser() {
        assertStartFails(Map.of("app.users.1.scopes.0", "admin"), "User 'bob' has scopes the service does not define");
    }

    @Test
    void malformedClientSecretHashNamesTheClient() {
        assertStartFails(Map.of("app.clients.1.secret-hash", "secret"), "Client 'test-confidential' has a malformed"
                + " secret-hash");
    }

    @Test
    void duplicateClientIdNamesTheClient() {
        assertStartFails(Map.of("app.clients.1.client-id", "test-public"),
                         "Client 'test-public' is configured more than once");
    }

    @Test
    void unknownGrantTypeOfAClientNamesTheClient() {
        assertStartFails(Map.of("app.clients.0.grant-types.0", "implicit"),
                         "Client 'test-public' has grant types the service does not know: [implicit]");
    }

    @Test
    void defaultClientThatIsNotConfiguredIsRefused() {
        assertStartFails(Map.of("app.default-client", "nobody"), "app.default-client names 'nobody'");
    }

    @Test
    void refreshIdleLifetimeOverTheAbsoluteOneIsRefused() {
        assertStartFails(Map.of("app.refresh-token.idle-ttl", "P31D"), "app.refresh-token.idle-ttl: 31 d is longer"
                + " than app.refresh-token.absolute-ttl (30 d)");
    }

    @Test
    void refreshLifetimeThatIsNoDurationIsRefused() {
        assertStartFails(Map.of("app.refresh-token.absolute-ttl", "30 days"),
                         "app.refresh-token.absolute-ttl: \"30 days\" is not an ISO-8601 duration such as P30D");
    }

    @Test
    void aSecurityConfigurationWithoutTheJwtProviderIsRefused() {
        // Helidon merges lists index by index, so the built-in jwt entry cannot be overridden away: leave it out
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("app.keys.file", TestApp.newKeyFile().toString())),
                         ConfigSources.classpath("test-app.yaml"),
                         ConfigSources.create("""
                                 app:
                                   scopes:
                                     me: "Read your own profile"
                                     items: "Read your items"
                                 security:
                                   providers:
                                     - abac:
                                 """, MediaTypes.APPLICATION_X_YAML))
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuthServer.create(config));
        assertThat(e.getMessage(), containsString("security.providers has no jwt provider"));
    }

    @Test
    void weakKeyStopsStartUp() throws Exception {
        Path file = TestApp.newKeyFile();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"alg\":\"HS256\",\"k\":\"c2hvcnQ\"}]}");
        InvalidKeySetException e = assertThrows(InvalidKeySetException.class, () -> TestApp.create(
                Map.of("app.keys.file", file.toString())));
        assertThat(e.getMessage(), containsString("'k1' is an HMAC key of 40 bits"));
    }

    @Test
    void missingKeyFileWithoutGenerationStopsStartUp() {
        assertThrows(InvalidKeySetException.class, () -> TestApp.create(Map.of("app.keys.generate", "false")));
    }

    @Test
    void misspelledKeyUnderAppIsRefusedWithTheKeysItCouldBe() {
        assertStartFails(Map.of("app.keys.generat", "true"), "app.keys.generat: not a setting of this service;"
                + " did you mean app.keys.generate? app.keys has active-kid, algorithm, file, generate,"
                + " reload-interval");
    }

    @Test
    void misspelledSectionIsRefusedWithTheNearestKeys() {
        assertStartFails(Map.of("app.tokn.ttl", "PT5M"), "app.tokn.ttl: not a setting of this service; did you mean"
                + " app.token.ttl?");
    }

    @Test
    void misspelledKeyOfAListEntryIsRefused() {
        assertStartFails(Map.of("app.users.1.pasword-hash", "x"), "app.users.1.pasword-hash: not a setting");
    }

    @Test
    void aValueWhereASectionBelongsIsRefused() {
        assertStartFails(Map.of("app.token", "5"), "app.token: is a section, not a value: it holds audience,"
                + " authenticate-every-request, cache-memory, issuer, ttl, type");
    }

    @Test
    void valuesOfTheWrongKindAreRefusedNamingTheKey() {
        assertStartFails(Map.of("app.keys.generate", "maybe"), "app.keys.generate: \"maybe\" is not true or false");
        assertStartFails(Map.of("app.token.ttl", "30m"),
                         "app.token.ttl: \"30m\" is not an ISO-8601 duration such as PT30M");
        assertStartFails(Map.of("app.password.bcrypt-cost", "many"),
                         "app.password.bcrypt-cost: \"many\" is not a whole number from 4 to 31");
        assertStartFails(Map.of("app.access-log.format", "xml"), "app.access-log.format: \"xml\" is not one of");
        assertStartFails(Map.of("server.port", "abc"), "server.port: \"abc\" is not a port number");
        assertStartFails(Map.of("app.token.issuer", "auth.example.com"),
                         "app.token.issuer: \"auth.example.com\" is not an http or https URL");
    }

    @Test
    void aKeyThatOnlyAnEnvironmentVariableSetsIsAWarning() {
        Config config = TestApp.config(Map.of("app.env", "production"));
        assertThat(ConfigKeys.check(config, Map.of("APP_ENV", "production")),
                   contains(containsString("APP_ENV sets app.env, which is not a setting of this service")));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ConfigKeys.check(config, Map.of()));
        assertThat(e.key(), is("app.env"));
    }

    @Test
    void everyKeyOfTheShippedConfigurationsIsRegistered() {
        for (Config config : List.of(TestApp.shippedConfig(), TestApp.config(Map.of()),
                                     Main.config(Path.of("k8s/config/application.yaml")))) {
            assertThat(ConfigKeys.check(config, Map.of()), is(List.of()));
        }
    }

    // ---- the process, started as users start it

    @TempDir
    Path workDir;

    @Test
    void configurationErrorsAreOneLineAndStatus2() throws Exception {
        assertOneLine(ServiceProcess.run(workDir, Map.of("APP_TOKEN_TTL", "30m")),
                      "token-service cannot start: app.token.ttl: \"30m\" is not an ISO-8601 duration such as PT30M");
        assertOneLine(ServiceProcess.run(workDir, Map.of("SERVER_PORT", "abc")),
                      "token-service cannot start: server.port: \"abc\" is not a port number from 0 to 65535");
        Files.writeString(workDir.resolve("application.yaml"), "app:\n  keys:\n    generat: true\n");
        assertOneLine(ServiceProcess.run(workDir, Map.of()), "token-service cannot start: app.keys.generat: not a"
                + " setting of this service; did you mean app.keys.generate? app.keys has active-kid, algorithm, file, generate, reload-interval");
        Files.writeString(workDir.resolve("application.yaml"), "app:\n  keys:\n    generate: maybe\n");
        assertOneLine(ServiceProcess.run(workDir, Map.of()),
                      "token-service cannot start: app.keys.generate: \"maybe\" is not true or false");
        Files.writeString(workDir.resolve("application.yaml"), "app:\n  token:\n    ttl: PT1M\n   audience: x\n");
        assertOneLine(ServiceProcess.run(workDir, Map.of()), "token-service cannot start: application.yaml: is not"
                + " valid YAML: expected <block end>, but found '<block mapping start>' (line 4, column 4)");
    }

    @Test
    void aPortInUseIsOneLineNamingThePortAndTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServiceProcess.Result result = ServiceProcess.run(workDir, Map.of(
                    "SERVER_PORT", String.valueOf(taken.getLocalPort()),
                    "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                    "APP_KEYS_GENERATE", "true"));
            assertThat(result.output(), result.status(), is(1));
            assertThat(result.messages(), contains("token-service cannot start: server.port: port "
                    + taken.getLocalPort() + " on 127.0.0.1 is already in use; stop what uses it, or set another port"
                    + " (server.port in application.yaml, or SERVER_PORT)"));
            assertThat(result.output(), not(containsString("Token service up")));
        }
    }

    private static void assertOneLine(ServiceProcess.Result result, String line) {
        assertThat(result.output(), result.status(), is(2));
        assertThat(result.output(), result.messages(), contains(line));
        assertThat(result.output(), not(containsString("Exception")));
    }

    private static void assertStartFails(Map<String, String> overrides, String message) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("app.keys.file", TestApp.newKeyFile().toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                                               () -> AuthServer.create(TestApp.config(all)));
        assertThat(e.getMessage(), containsString(message));
    }
}
