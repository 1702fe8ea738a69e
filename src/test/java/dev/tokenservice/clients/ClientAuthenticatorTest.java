package dev.tokenservice.clients;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.tokenservice.TestApp;
import dev.tokenservice.oauth.ClientCredentials;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.users.PasswordHasher;

import io.helidon.config.Config;
import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientAuthenticatorTest {
    private static final String ADDRESS = "192.0.2.1";
    private static final PasswordHasher HASHER = new PasswordHasher(4);
    private static final String SECRET = "confidential-secret";

    private final ClientAuthenticator authenticator = authenticator("web", HASHER, HASHER.hash(SECRET));

    @Test
    void confidentialClientWithItsSecret() {
        assertThat(authenticator.authenticate(basic("api", SECRET), ADDRESS).id(), is("api"));
        assertThat(authenticator.authenticate(body("api", SECRET), ADDRESS).id(), is("api"));
    }

    @Test
    void publicClientByIdAlone() {
        assertThat(authenticator.authenticate(body("web", ""), ADDRESS).id(), is("web"));
        assertThat(authenticator.authenticate(basic("web", ""), ADDRESS).id(), is("web"));
    }

    @Test
    void nothingSentIsTheDefaultClient() {
        assertThat(authenticator.authenticate(body("", ""), ADDRESS).id(), is("web"));
        assertThat(authenticator.authenticate(basic("", ""), ADDRESS).id(), is("web"));
    }

    @Test
    void nothingSentWithoutDefaultClientIsInvalidClient() {
        ClientAuthenticator strict = authenticator("", HASHER, HASHER.hash(SECRET));
        assertInvalidClient(() -> strict.authenticate(body("", ""), ADDRESS));
        assertThat(strict.authenticate(body("web", ""), ADDRESS).id(), is("web"));
    }

    @Test
    void everyFailureIsTheSameInvalidClient() {
        String wrongSecret = assertInvalidClient(() -> authenticator.authenticate(basic("api", "wrong"), ADDRESS));
        assertThat(assertInvalidClient(() -> authenticator.authenticate(basic("nobody", "secret"), ADDRESS)), is(wrongSecret));
        assertThat(assertInvalidClient(() -> authenticator.authenticate(body("nobody", ""), ADDRESS)), is(wrongSecret));
        assertThat(assertInvalidClient(() -> authenticator.authenticate(body("api", ""), ADDRESS)), is(wrongSecret));
        assertThat(assertInvalidClient(() -> authenticator.authenticate(body("web", "a-secret"), ADDRESS)), is(wrongSecret));
        assertInvalidClient(() -> authenticator.authenticate(body("", "secret-without-id"), ADDRESS));
    }

    @Test
    void unknownClientTakesAsLongAsWrongSecret() {
        // cost 10 (about 50 ms a check) dwarfs the rest; the median ratio would be ~0.01 without the dummy check
        PasswordHasher slow = new PasswordHasher(10);
        ClientAuthenticator timed = authenticator("web", slow, slow.hash(SECRET));
        long[] unknown = new long[7];
        long[] wrong = new long[7];
        for (int i = 0; i < unknown.length; i++) {
            String unknownId = "nobody-" + i;
            unknown[i] = nanos(() -> timed.authenticate(basic(unknownId, "some-secret"), ADDRESS));
            wrong[i] = nanos(() -> timed.authenticate(basic("api", "some-secret"), ADDRESS));
        }
        double ratio = (double) median(unknown) / median(wrong);
        assertThat("unknown/wrong median ratio " + ratio, ratio, allOf(greaterThan(0.5), lessThan(2.0)));
    }

    @Test
    void sha256ClientsAndUnknownIdsCostNoBcryptWhenNoClientUsesIt() {
        java.util.concurrent.atomic.AtomicInteger bcrypt = new java.util.concurrent.atomic.AtomicInteger();
        PasswordHasher counting = new PasswordHasher(4, time -> bcrypt.incrementAndGet(),
                                                     dev.tokenservice.users.HashCheckRunner.inline());
        String secret = ClientSecrets.generate();
        ClientAuthenticator fast = authenticator("web", counting, ClientSecrets.sha256Hash(secret));
        assertThat(fast.authenticate(basic("api", secret), ADDRESS).id(), is("api"));
        String wrongSecret = assertInvalidClient(() -> fast.authenticate(basic("api", "wrong"), ADDRESS));
        assertThat(assertInvalidClient(() -> fast.authenticate(basic("nobody", secret), ADDRESS)), is(wrongSecret));
        assertThat(bcrypt.get(), is(0));
        // with a bcrypt client configured, an unknown id costs what that client costs
        ClientAuthenticator legacy = authenticator("web", counting, counting.hash(SECRET));
        assertInvalidClient(() -> legacy.authenticate(basic("nobody", secret), ADDRESS));
        assertThat(bcrypt.get(), is(1));
    }

    private static ClientAuthenticator authenticator(String defaultClient, PasswordHasher hasher, String hash) {
        Config app = TestApp.section("app", Map.of(
                "default-client", defaultClient,
                "clients.0.client-id", "web",
                "clients.0.type", "public",
                "clients.1.client-id", "api",
                "clients.1.type", "confidential",
                "clients.1.secret-hash", hash));
        return new ClientAuthenticator(ConfigClientStore.create(app, Set.of("password"), Set.of("me"),
                                                                hasher.cost()), hasher,
                                       TestApp.noLoginProtection());
    }

    private static ClientCredentials basic(String id, String secret) {
        return new ClientCredentials(id, secret, true);
    }

    private static ClientCredentials body(String id, String secret) {
        return new ClientCredentials(id, secret, false);
    }

    private static String assertInvalidClient(Supplier<Client> call) {
        OAuthError e = assertThrows(OAuthError.class, call::get);
        assertThat(e.error(), is("invalid_client"));
        assertThat(e.status(), is(Status.UNAUTHORIZED_401));
        return e.getMessage();
    }

    private static long nanos(Runnable failingCall) {
        long start = System.nanoTime();
        assertThrows(OAuthError.class, failingCall::run);
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
