package dev.tokenservice;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.tokenservice.config.WatchedFile;
import dev.tokenservice.keys.KeyGenerator;
import dev.tokenservice.keys.KeySet;
import dev.tokenservice.users.PasswordHasher;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The watched files of a running service give their events once per change: the key set file ({@code keys.reload},
 * {@code key.added}, {@code key.retired} rotated or removed, a refused or missing file) and the users file
 * ({@code users.reload}, a refused or missing file). An unchanged file gives none, and a missing file one event
 * however many times it is looked for.
 */
class SecurityEventsReloadTest {
    /** The reloads run on their own thread: generous for a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The users of test-app.yaml, which the users file adds to. */
    private static final int CONFIGURED_USERS = 5;

    @TempDir
    Path dir;

    @Test
    void theKeySetFileGivesItsEventsOncePerChange() throws Exception {
        TestApp.Instance instance = TestApp.create(Map.of("app.keys.reload-interval", "PT0.05S",
                                                          "app.events.replica", "keys-" + UUID.randomUUID()));
        Path file = instance.keyFile();
        String first = signingKid(file);
        try (TestApp.Running running = TestApp.start(instance.server());
             CapturedEvents events = new CapturedEvents(running.service());
             Lookups lookups = new Lookups(file)) {
            // rotated by the keys command: the new key signs, the old one only verifies
            keys(file, "rotate");
            String second = signingKid(file);
            List<JsonObject> rotated = await(events, 3);
            assertThat(summaries(rotated), is(List.of("keys.reload success", "key.added success",
                                                      "key.retired success rotated")));
            assertThat(rotated.getFirst().getInt("count"), is(2));
            assertThat(rotated.getFirst().getString("key_id"), is(second));
            assertThat(rotated.get(1).getString("key_id"), is(second));
            assertThat(rotated.get(1).getString("detail"), is("signs new tokens"));
            assertThat(rotated.get(2).getString("key_id"), is(first));
            assertThat(rotated.get(2).getString("detail"), containsString("'" + second + "' signs new tokens"));
            eventually(WAIT, () -> assertThat(kid(running), is(second)));

            // a key added beside the signing key, written as an operator would: added, nothing retired
            JsonObject extra = KeyGenerator.generate("HS256");
            JsonObject set = json(Files.readString(file));
            replace(file, Json.createObjectBuilder(set)
                    .add("keys", Json.createArrayBuilder(set.getJsonArray("keys")).add(extra)).build().toString());
            List<JsonObject> added = await(events, 2);
            assertThat(summaries(added), is(List.of("keys.reload success", "key.added success")));
            assertThat(added.getFirst().getInt("count"), is(3));
            assertThat(added.get(1).getString("key_id"), is(extra.getString("kid")));
            assertThat(added.get(1).getString("detail"), is("verifies only"));

            // the old key removed by the keys command
            keys(file, "remove", first);
            List<JsonObject> removed = await(events, 2);
            assertThat(summaries(removed), is(List.of("keys.reload success", "key.retired success removed")));
            assertThat(removed.getFirst().getInt("count"), is(2));
            assertThat(removed.getFirst().getString("key_id"), is(second));
            assertThat(removed.get(1).getString("key_id"), is(first));
            String valid = Files.readString(file);

            // a set that does not validate: refused, with why; the keys stay
            replace(file, "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"weak\",\"alg\":\"HS256\",\"k\":\"AAAA\"}]}");
            List<JsonObject> refused = await(events, 1);
            assertThat(summaries(refused), is(List.of("keys.reload failure invalid")));
            assertThat(refused.getFirst().getString("detail"), containsString("'weak' is an HMAC key of 24 bits"));
            assertThat(refused.getFirst().containsKey("count"), is(false));
            assertThat(refused.getFirst().containsKey("key_id"), is(false));
            assertThat(kid(running), is(second));

            // the valid set again: one reload, no key added or retired, and no second refusal in between
            replace(file, valid);
            List<JsonObject> back = await(events, 1);
            assertThat(summaries(back), is(List.of("keys.reload success")));
            assertThat(back.getFirst().getInt("count"), is(2));

            // the file gone: one event, however many times it is looked for
            Files.delete(file);
            List<JsonObject> gone = await(events, 1);
            lookups.awaitMore(3);
            gone.addAll(next(events));
            assertThat(summaries(gone), is(List.of("keys.reload failure unreadable")));
            assertThat(gone.getFirst().getString("detail"), containsString("does not exist"));
            assertThat(kid(running), is(second));
            // back, changed (the same bytes again would be no change, and no event), and no watcher left warning
            // for the rest of the test run
            replace(file, valid + "\n");
            assertThat(summaries(await(events, 1)), is(List.of("keys.reload success")));
        }
    }

    @Test
    void theUsersFileGivesItsEventsOncePerChange() throws Exception {
        String hash = new PasswordHasher(AuthServer.bcryptCost(TestApp.config(Map.of()))).hash("fiona-password");
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, users(hash, "fiona"));
        TestApp.Instance instance = TestApp.create(Map.of("app.users-file", file.toString(),
                                                          "app.users-reload-interval", "PT0.05S",
                                                          "app.events.replica", "users-" + UUID.randomUUID()));
        try (TestApp.Running running = TestApp.start(instance.server());
             CapturedEvents events = new CapturedEvents(running.service());
             Lookups lookups = new Lookups(file)) {
            replace(file, users(hash, "fiona", "gus"));
            List<JsonObject> reloaded = await(events, 1);
            assertThat(summaries(reloaded), is(List.of("users.reload success")));
            assertThat(reloaded.getFirst().getInt("count"), is(CONFIGURED_USERS + 2));
            assertThat(reloaded.getFirst().containsKey("username"), is(false));

            // a file that does not validate: refused with why, once
            replace(file, users("not-a-hash", "gus"));
            List<JsonObject> refused = await(events, 1);
            assertThat(summaries(refused), is(List.of("users.reload failure invalid")));
            assertThat(refused.getFirst().getString("detail"), containsString("malformed password-hash"));
            assertThat(refused.getFirst().containsKey("count"), is(false));
            assertThat(login(running, "gus"), is(200));

            // one user fewer: one reload, and no second refusal in between
            replace(file, users(hash, "fiona"));
            List<JsonObject> fewer = await(events, 1);
            assertThat(summaries(fewer), is(List.of("users.reload success")));
            assertThat(fewer.getFirst().getInt("count"), is(CONFIGURED_USERS + 1));

            // the file gone: one event, however many times it is looked for
            Files.delete(file);
            List<JsonObject> gone = await(events, 1);
            lookups.awaitMore(3);
            gone.addAll(next(events));
            assertThat(summaries(gone), is(List.of("users.reload failure unreadable")));
            assertThat(gone.getFirst().getString("detail"), containsString("does not exist"));
            assertThat(login(running, "fiona"), is(200));
            // back, changed (the same bytes again would be no change, and no event), and no watcher left warning
            // for the rest of the test run
            replace(file, users(hash, "fiona") + "\n");
            assertThat(summaries(await(events, 1)), is(List.of("users.reload success")));
        }
    }

    /**
     * The events since the previous call, once there are at least {@code count} of them; without the logins, which
     * the test makes to see which key signs or which users log in.
     */
    private static List<JsonObject> await(CapturedEvents events, int count) {
        List<JsonObject> seen = new ArrayList<>();
        eventually(WAIT, () -> {
            seen.addAll(next(events));
            assertThat(summaries(seen).toString(), seen.size(), greaterThanOrEqualTo(count));
        });
        return seen;
    }

    private static List<JsonObject> next(CapturedEvents events) {
        return events.next().stream().filter(event -> !event.getString("type").equals("login")).toList();
    }

    private static List<String> summaries(List<JsonObject> events) {
        return events.stream().map(CapturedEvents::summary).toList();
    }

    private static void keys(Path file, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new KeysCommand(file, "HS256", Duration.ofMinutes(30), Clock.systemUTC(), "token-service")
                .run(List.of(args), new PrintStream(OutputStream.nullOutputStream()),
                     new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8), status, is(0));
    }

    private static String signingKid(Path file) throws Exception {
        return KeySet.parse(Files.readString(file), null).signingKey().keyId();
    }

    private static String kid(TestApp.Running running) throws Exception {
        String token = TestApp.token(running.client(), "alice", "alice-password");
        return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static void replace(Path file, String content) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), "edit", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String users(String hash, String... usernames) {
        StringBuilder yaml = new StringBuilder("users:\n");
        for (String username : usernames) {
            yaml.append("""
                                  - username: "%s"
                                    password-hash: "%s"
                                    scopes: ["me", "items"]
                                """.formatted(username, hash));
        }
        return yaml.toString();
    }

    private static int login(TestApp.Running running, String username) {
        try (var res = TestApp.postForm(running.client(), "/token",
                                        "grant_type=password&username=" + username + "&password=fiona-password")) {
            return res.status().code();
        }
    }

    /**
     * Counts the watcher's warnings that a file is missing: each is one look at the file, so that a test can wait
     * for several looks without a fixed sleep.
     */
    private static final class Lookups extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(WatchedFile.class.getName());
        private final String missing;
        private final AtomicInteger count = new AtomicInteger();

        Lookups(Path file) {
            this.missing = file + " does not exist";
            logger.addHandler(this);
        }

        void awaitMore(int more) {
            int start = count.get();
            eventually(WAIT, count::get, greaterThanOrEqualTo(start + more));
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getMessage() != null
                    && record.getMessage().contains(missing)) {
                count.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
