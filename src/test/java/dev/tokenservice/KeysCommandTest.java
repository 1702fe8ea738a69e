package dev.tokenservice;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.tokenservice.keys.KeySet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class KeysCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void generateRotateRemove() throws Exception {
        Path file = dir.resolve("keys/jwks.json");
        assertThat(run("generate"), is(0));
        KeySet first = KeySet.parse(Files.readString(file), null);
        assertThat(first.signingKey().algorithm(), is("ES256"));
        String oldKid = first.signingKey().keyId();

        assertThat(run("rotate", "--alg", "RS256"), is(0));
        KeySet second = KeySet.parse(Files.readString(file), null);
        assertThat(second.signingKey().algorithm(), is("RS256"));
        assertThat(second.keyIds().size(), is(2));
        assertThat(second.key(oldKid).isPresent(), is(true));
        // the old key may go when the longest token it signed has expired
        assertThat(text(out), containsString("remove those keys after 2026-11-27T10:30:05Z"));
        assertThat(text(out), containsString("keys remove " + oldKid));

        assertThat(run("remove", second.signingKey().keyId()), is(2));
        assertThat(text(err), containsString("signs new tokens"));
        assertThat(run("remove", oldKid), is(0));
        assertThat(KeySet.parse(Files.readString(file), null).keyIds(), is(List.of(second.signingKey().keyId())));
    }

    @Test
    void generateNeverOverwrites() throws Exception {
        Path file = dir.resolve("keys/jwks.json");
        assertThat(run("generate"), is(0));
        String before = Files.readString(file);
        assertThat(run("generate"), is(2));
        assertThat(Files.readString(file), is(before));
        assertThat(text(err), containsString("exists"));
    }

    @Test
    void unknownAlgorithmOrActionIsAUsageError() {
        assertThat(run("generate", "--alg", "HS512"), is(2));
        assertThat(text(err), containsString("Unsupported algorithm 'HS512'"));
        assertThat(run("shuffle"), is(2));
        assertThat(text(err), containsString("keys: unknown command 'shuffle'"));
        // each command's usage, exactly: only remove takes a key id
        assertThat(text(err), containsString("usage: keys generate [--alg RS256|ES256|HS256] [--file FILE]\n"));
        assertThat(text(err), containsString("keys rotate [--alg RS256|ES256|HS256] [--file FILE]\n"));
        assertThat(text(err), containsString("keys remove KID [--file FILE]\n"));
        assertThat(run("remove"), is(2));
        assertThat(text(err), containsString("keys remove needs exactly one key id\nusage: keys generate"));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new KeysCommand(dir.resolve("keys/jwks.json"), "ES256", Duration.ofMinutes(30).plusSeconds(5),
                               Clock.fixed(NOW, ZoneOffset.UTC), "bin/token-service")
                .run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                     new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
