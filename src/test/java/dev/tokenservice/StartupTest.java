package dev.tokenservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.tokenservice.keys.InvalidKeySetException;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
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
        assertStartFails(Map.of("app.refresh-token.idle-ttl", "P31D"), "app.refresh-token.idle-ttl (PT744H) is"
                + " longer than app.refresh-token.absolute-ttl (PT720H)");
    }

    @Test
    void refreshLifetimeThatIsNoDurationIsRefused() {
        assertStartFails(Map.of("app.refresh-token.absolute-ttl", "30 days"),
                         "app.refresh-token.absolute-ttl is not an ISO-8601 duration");
    }

    @Test
    void jwtProviderWithoutAudienceIsRefused() {
        assertStartFails(Map.of("security.providers.0.jwt.atn-token.jwt-audience", ""), "jwt-audience");
    }

    @Test
    void jwtProviderAudienceMustBeTheIssuedAudience() {
        assertStartFails(Map.of("security.providers.0.jwt.atn-token.jwt-audience", "someone-else"),
                         "the service issues tokens for 'test-api'");
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

    private static void assertStartFails(Map<String, String> overrides, String message) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("app.keys.file", TestApp.newKeyFile().toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                                               () -> AuthServer.create(TestApp.config(all)));
        assertThat(e.getMessage(), containsString(message));
    }
}
