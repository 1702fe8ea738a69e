package dev.tokenservice;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import dev.tokenservice.keys.KeyGenerator;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.keys.KeySet;

import com.nimbusds.jwt.SignedJWT;
import io.helidon.webclient.http1.Http1Client;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Key rotation without a restart: the running service picks up a changed key set file for signing and verifying
 * at once, without a failed request, and refuses a broken file.
 */
class RotationTest {
    @Test
    void rotationUnderLoadFailsNoRequestAndOldTokensVerifyUntilTheirKeyIsRemoved() throws Exception {
        TestApp.Instance instance = TestApp.create(Map.of("app.keys.algorithm", "ES256",
                                                          "app.keys.reload-interval", "PT0.05S"));
        Path file = instance.keyFile();
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String oldToken = TestApp.token(running.client(), "alice", "alice-password");
            String oldKid = kid(oldToken);

            Set<String> kidsSeen = ConcurrentHashMap.newKeySet();
            AtomicInteger requests = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            String base = "http://localhost:" + running.server().port();
            List<Thread> workers = IntStream.range(0, 4).mapToObj(i -> Thread.ofPlatform().start(() -> {
                // a client per thread, with connections of its own (TestApp.newClient says why)
                Http1Client client = TestApp.newClient(base);
                while (!stop.get()) {
                    try {
                        String token = TestApp.token(client, "alice", "alice-password");
                        kidsSeen.add(kid(token));
                        if (TestApp.usersMe(client, token) != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        e.printStackTrace();
                    }
                    requests.addAndGet(2);
                }
            })).toList();

            eventually(requests::get, greaterThan(20));
            assertThat(keys(file).rotate("rotate"), is(0));
            String newKid = KeySet.parse(Files.readString(file), null).signingKey().keyId();
            eventually(() -> kidsSeen, hasItem(newKid));
            int atSwitch = requests.get();
            eventually(requests::get, greaterThan(atSwitch + 20));
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }

            assertThat("failed requests of " + requests.get(), failures.get(), is(0));
            assertThat(kidsSeen, is(Set.of(oldKid, newKid)));
            assertThat("a token of the old key still verifies", TestApp.usersMe(running.client(), oldToken), is(200));

            assertThat(keys(file).rotate("remove", oldKid), is(0));
            eventually(() -> TestApp.usersMe(running.client(), oldToken), is(401));
            assertThat(kid(TestApp.token(running.client(), "alice", "alice-password")), is(newKid));
        }
    }

    @Test
    void brokenFileIsRefusedAndLoggedWhileTheOldKeysStayInUse() throws Exception {
        TestApp.Instance instance = TestApp.create(Map.of("app.keys.algorithm", "ES256",
                                                          "app.keys.reload-interval", "PT0.05S"));
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(dev.tokenservice.config.WatchedFile.class.getName());
        logger.addHandler(capture);
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String token = TestApp.token(running.client(), "alice", "alice-password");
            // a set with a weak key, written as an operator's editor would
            replace(instance.keyFile(), "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"weak\",\"alg\":\"HS256\",\"k\":\"AAAA\"}]}");
            eventually(() -> errors, not(empty()));
            assertThat(errors.getFirst(), containsString("'weak' is an HMAC key of 24 bits"));
            assertThat(TestApp.usersMe(running.client(), token), is(200));
            String next = TestApp.token(running.client(), "alice", "alice-password");
            assertThat(kid(next), is(kid(token)));
            assertThat(TestApp.usersMe(running.client(), next), is(200));
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void kubernetesSecretSwapThroughASymbolicLinkIsPickedUp() throws Exception {
        // the layout of a mounted Secret: jwks.json -> ..data/jwks.json, ..data -> ..<timestamp>
        Path mount = Files.createTempDirectory("secret-mount");
        KeySet first = KeySet.parse("{\"keys\":[" + KeyGenerator.generate("ES256") + "]}", null);
        Path version1 = Files.createDirectory(mount.resolve("..2026_11_27_10_00_00.1"));
        KeyRing.write(version1.resolve("jwks.json"), first);
        Files.createSymbolicLink(mount.resolve("..data"), version1.getFileName());
        Files.createSymbolicLink(mount.resolve("jwks.json"), Path.of("..data/jwks.json"));

        TestApp.Instance instance = TestApp.create(Map.of("app.keys.file", mount.resolve("jwks.json").toString(),
                                                          "app.keys.reload-interval", "PT0.05S"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String oldToken = TestApp.token(running.client(), "alice", "alice-password");
            assertThat(kid(oldToken), is(first.signingKey().keyId()));

            KeySet second = first.withSigningKey(KeyGenerator.generate("RS256"));
            Path version2 = Files.createDirectory(mount.resolve("..2026_11_27_10_05_00.2"));
            KeyRing.write(version2.resolve("jwks.json"), second);
            Files.createSymbolicLink(mount.resolve("..data_tmp"), version2.getFileName());
            Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            eventually(() -> kid(TestApp.token(running.client(), "alice", "alice-password")),
                       is(second.signingKey().keyId()));
            assertThat(TestApp.usersMe(running.client(), oldToken), is(200));
        }
    }

    private static Keys keys(Path file) {
        return new Keys(file);
    }

    private record Keys(Path file) {
        int rotate(String... args) {
            return new KeysCommand(file, "ES256", Duration.ofMinutes(30), Clock.systemUTC(), "token-service")
                    .run(List.of(args), new PrintStream(new ByteArrayOutputStream()), System.err);
        }
    }

    private static void replace(Path file, String content) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), "edit", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
