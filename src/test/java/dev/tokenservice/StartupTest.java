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
