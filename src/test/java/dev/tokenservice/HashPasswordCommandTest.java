package dev.tokenservice;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.tokenservice.users.PasswordHasher;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class HashPasswordCommandTest {
    private final PasswordHasher hasher = new PasswordHasher(5);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsHashOfThePasswordOnStandardInputAtTheConfiguredCost() {
        int status = run("s3cret passphrase\n");
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(status, is(0));
        assertThat(hash, startsWith("$2a$05$"));
        assertThat(hasher.matches("s3cret passphrase", hash), is(true));
        assertThat(err.size(), is(0));
    }

    @Test
    void refusesPasswordLongerThan72Bytes() {
        int status = run("a".repeat(73) + "\n");
        assertThat(status, is(2));
        assertThat(out.size(), is(0));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("longer than 72 bytes"));
    }

    @Test
    void refusesEmptyOrMissingPassword() {
        assertThat(run("\n"), is(2));
        assertThat(run(""), is(2));
        assertThat(out.size(), is(0));
    }

    private int run(String stdin) {
        return new HashPasswordCommand(hasher).run(null,
                                                   new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                                                   new PrintStream(out, true, StandardCharsets.UTF_8),
                                                   new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
