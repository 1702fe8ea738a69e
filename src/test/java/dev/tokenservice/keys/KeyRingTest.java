package dev.tokenservice.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import dev.tokenservice.TestApp;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyRingTest {
    @Test
    void generatesAnOwnerOnlyHs256KeyOnceAndReusesIt() throws Exception {
        Path file = TestApp.newKeyFile();
        KeyRing first = KeyRing.load(keysConfig(file, true));

        assertThat(Files.exists(file), is(true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())), is("rwx------"));
        assertThat(first.signingKey().algorithm(), is("HS256"));
        assertThat(Base64.getUrlDecoder().decode(TestApp.activeKey(file).getString("k")).length, is(32));

        String content = Files.readString(file);
        KeyRing second = KeyRing.load(keysConfig(file, true));
        assertThat(second.signingKey().keyId(), is(first.signingKey().keyId()));
        assertThat(Files.readString(file), is(content));
    }

    @Test
    void missingFileWithoutGenerationStopsStartUp() {
        Path file = TestApp.newKeyFile();
        InvalidKeySetException e = assertThrows(InvalidKeySetException.class,
                                                () -> KeyRing.load(keysConfig(file, false)));
        assertThat(e.getMessage(), containsString("does not exist"));
        assertThat(Files.exists(file), is(false));
    }

    @Test
    void unusableFileStopsStartUpNamingTheFile() throws Exception {
        Path file = TestApp.newKeyFile();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"tiny\",\"alg\":\"HS256\",\"k\":\"AAAA\"}]}");
        InvalidKeySetException e = assertThrows(InvalidKeySetException.class,
                                                () -> KeyRing.load(keysConfig(file, true)));
        assertThat(e.getMessage(), containsString(file.toString()));
        assertThat(e.getMessage(), containsString("'tiny' is an HMAC key of 24 bits"));
    }

    private static Config keysConfig(Path file, boolean generate) {
        return TestApp.section("app.keys", Map.of("file", file.toString(),
                                                  "generate", String.valueOf(generate),
                                                  "algorithm", "HS256",
                                                  "reload-interval", "PT0S"));
    }
}
