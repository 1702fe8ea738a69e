package dev.tokenservice.clients;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.ClientSecretCommand;
import dev.tokenservice.users.HashCheckRunner;
import dev.tokenservice.users.PasswordHasher;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Generated client secrets and their SHA-256 hashes; bcrypt hashes still read; the kind of the dummy check.
 */
class ClientSecretsTest {
    private final AtomicInteger bcryptChecks = new AtomicInteger();
    private final PasswordHasher hasher = new PasswordHasher(4, time -> bcryptChecks.incrementAndGet(),
                                                             HashCheckRunner.inline());

    @Test
    void generatedSecretsAre256RandomBits() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = ClientSecrets.generate();
            assertThat(secret, secret.matches("[A-Za-z0-9_-]{43}"), is(true));
            secrets.add(secret);
        }
        assertThat(secrets.size(), is(100));
    }

    @Test
    void sha256HashIsWhatSha256sumPrints() {
        // printf %s demo-introspection-secret | sha256sum
        assertThat(ClientSecrets.sha256Hash("demo-introspection-secret"),
                   is("sha256:db8c328932e45beb116ff7a5176ceed5c1bb027c6152fc548fdccabcc16e8a12"));
    }

    @Test
    void sha256SecretsMatchWithoutBcrypt() {
        ClientSecrets secrets = new ClientSecrets(hasher, false);
        String secret = ClientSecrets.generate();
        String hash = ClientSecrets.sha256Hash(secret);
        assertThat(secrets.matches(secret, hash), is(true));
        assertThat(secrets.matches(secret + "x", hash), is(false));
        assertThat(secrets.matches("", hash), is(false));
        assertThat(bcryptChecks.get(), is(0));
    }

    @Test
    void bcryptSecretHashesStillMatch() {
        ClientSecrets secrets = new ClientSecrets(hasher, true);
        String hash = hasher.hash("old-secret");
        assertThat(secrets.matches("old-secret", hash), is(true));
        assertThat(secrets.matches("other", hash), is(false));
        assertThat(bcryptChecks.get(), is(2));
    }

    @Test
    void unknownClientsCostTheKindInUse() {
        new ClientSecrets(hasher, false).matchNothing("some-secret");
        assertThat(bcryptChecks.get(), is(0));
        new ClientSecrets(hasher, true).matchNothing("some-secret");
        assertThat(bcryptChecks.get(), is(1));
    }

    @Test
    void onlyWellFormedHashesAreAccepted() {
        String good = ClientSecrets.sha256Hash("x");
        assertThat(ClientSecrets.isWellFormed(good), is(true));
        assertThat(ClientSecrets.isWellFormed(hasher.hash("x")), is(true));
        assertThat(ClientSecrets.isWellFormed(good.toUpperCase().replace("SHA256:", "sha256:")), is(false));
        assertThat(ClientSecrets.isWellFormed(good.substring(0, good.length() - 1)), is(false));
        assertThat(ClientSecrets.isWellFormed("sha256:" + "g".repeat(64)), is(false));
        assertThat(ClientSecrets.isWellFormed("plain-secret"), is(false));
    }

    @Test
    void clientSecretCommandPrintsASecretAndItsHash() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ClientSecretCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                                             new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status, is(0));
        Matcher printed = Pattern.compile("client-secret: ([A-Za-z0-9_-]{43})\nsecret-hash: \"(sha256:[0-9a-f]{64})\"\n")
                .matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8), printed.matches(), is(true));
        assertThat(new ClientSecrets(hasher, false).matches(printed.group(1), printed.group(2)), is(true));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("secret-hash"));
    }
}
