package dev.tokenservice;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.store.OpaqueTokens;
import dev.tokenservice.store.StoreSettings;
import dev.tokenservice.store.postgres.PostgresStore;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Security events in the PostgreSQL store: two replicas on one database read back by one {@code events} query in
 * time order; no secret in any line or row; the retention purges them; the command without a store says so.
 */
class SecurityEventsStoreTest {
    private final TestClock clock = new TestClock();

    @Test
    void eventsOfTwoReplicasReadBackInTimeOrder() throws Exception {
        Map<String, String> database = TestDatabase.newDatabase();
        try (TestApp.Running first = start(database, "replica-a"); TestApp.Running second = start(database, "replica-b")) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                for (TestApp.Running replica : List.of(first, second)) {
                    clock.advance(Duration.ofSeconds(1));
                    status(replica, "grant_type=password&username=alice&password=wrong-" + i);
                    expected.add(replica == first ? "replica-a" : "replica-b");
                }
            }
            flush(first, second);
            String out = command(database, "--user", "alice", "--json");
            List<JsonObject> events = out.lines().map(CapturedEvents::parse).toList();
            assertThat(events.stream().map(event -> event.getString("replica")).toList(), is(expected));
            events.forEach(event -> assertThat(CapturedEvents.summary(event), is("login failure wrong_password")));
            List<String> times = events.stream().map(event -> event.getString("time")).toList();
            assertThat(times, is(times.stream().sorted().toList()));

            // the newest two, oldest first; the table escapes what it shows
            List<String> newest = command(database, "--user", "alice", "--limit", "2").lines().toList();
            assertThat(newest.size(), is(3));
            assertThat(newest.getFirst(), containsString("TIME (UTC)"));
            assertThat(newest.get(1), containsString("replica-a"));
            assertThat(newest.get(2), containsString("replica-b"));
            assertThat(command(database, "--type", "refresh"), is("No events match.\n"));
            assertThat(command(database, "--address", "127.0.0.1", "--type", "login", "--json").lines().count(), is(6L));
        }
    }

    @Test
    void noSecretReachesALineOrARow() {
        Map<String, String> database = TestDatabase.newDatabase();
        List<String> secrets = new ArrayList<>(List.of(
                "alice-password", "wrong-password-x1", "bob-password", "confidential-secret", "wrong-secret-y2",
                "rs-secret", "service-secret",
                // the hashes of test-app.yaml
                "$2a$04$NJQt.X4oHGaYUC.sTkbQNOd1B3EdFy.uVltAfNGgHXEyxg.nauQO6",
                "$2a$04$vaFwR0X.4oAP8Wa2pmQicukStXARpMRhcDgz9Y9UG4EC5dtIgeiC2",
                "$2a$04$Z6k1LMrm1WNx1JvHsSECUe.xtidfjayWzI2SjAU1EO4OzudigPp5K",
                "$2a$04$WJzZ2SjcE.ozujZc.7y6F.9T0vKoxABC4cOMEELkeKkTfqmQqLQsi",
                "$2a$04$F9t0yj/Mkf6AjYW9KjZhN.VzmCMDuhJUDrVoMAzMpjiRHhhCyTaha"));
        try (TestApp.Running running = start(database, "no-secrets");
             CapturedEvents log = new CapturedEvents(running.service())) {
            status(running, "grant_type=password&username=alice&password=wrong-password-x1");
            status(running, "grant_type=password&username=nobody&password=wrong-password-x1");
            status(running, "grant_type=password&username=bob&password=bob-password&client_id=test-confidential",
                   "Authorization", basic("test-confidential", "wrong-secret-y2"));
            status(running, "grant_type=client_credentials", "Authorization", basic("test-service", "wrong-secret-y2"));
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/introspect", "token=abc",
                                                            "Authorization", basic("test-rs", "wrong-secret-y2"))) {
                assertThat(res.status().code(), is(401));
            }
            JsonObject login = tokens(running, "grant_type=password&username=alice&password=alice-password",
                                      "Authorization", basic("test-confidential", "confidential-secret"));
            JsonObject refreshed = tokens(running, "grant_type=refresh_token&refresh_token="
                    + login.getString("refresh_token"), "Authorization", basic("test-confidential",
                                                                                "confidential-secret"));
            status(running, "grant_type=refresh_token&refresh_token=" + login.getString("refresh_token"),
                   "Authorization", basic("test-confidential", "confidential-secret"));
            JsonObject other = tokens(running, "grant_type=password&username=bob&password=bob-password");
            JsonObject client = tokens(running, "grant_type=client_credentials", "Authorization",
                                       basic("test-service", "service-secret"));
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/revoke", "token="
                    + other.getString("refresh_token"))) {
                assertThat(res.status().code(), is(200));
            }
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/revoke", "token="
                    + client.getString("access_token"), "Authorization", basic("test-service", "service-secret"))) {
                assertThat(res.status().code(), is(200));
            }
            assertThat(TestApp.usersMe(running.client(), refreshed.getString("access_token")), is(401));
            for (JsonObject answer : List.of(login, refreshed, other, client)) {
                for (String name : List.of("access_token", "refresh_token")) {
                    if (answer.containsKey(name)) {
                        String token = answer.getString(name);
                        secrets.add(token);
                        secrets.add(OpaqueTokens.hash(token));
                        // every part of a JWT: its signature alone is a secret too
                        secrets.addAll(List.of(token.split("\\.")));
                    }
                }
            }
            flush(running);
            List<String> everything = new ArrayList<>(log.lines());
            everything.addAll(command(database, "--since", "1d", "--limit", "1000", "--json").lines().toList());
            everything.addAll(command(database, "--since", "1d", "--limit", "1000").lines().toList());
            // every line is a row too: the lines, the rows as JSON, the rows as a table under its heading
            assertThat(everything.size(), is(3 * log.lines().size() + 1));
            List<String> found = new ArrayList<>();
            for (String line : everything) {
                secrets.stream().filter(line::contains).forEach(secret -> found.add(secret + " in " + line));
            }
            assertThat(found, empty());
        }
    }

    @Test
    void theRetentionPurgesOldEvents() throws Exception {
        Map<String, String> database = new HashMap<>(TestDatabase.newDatabase());
        database.put("app.store.purge-interval", "PT0.2S");
        database.put("app.events.retention", "PT1H");
        try (TestApp.Running running = start(database, "retention")) {
            status(running, "grant_type=password&username=alice&password=wrong");
            flush(running);
            assertThat(command(database, "--json").lines().count(), is(1L));
            clock.advance(Duration.ofHours(2));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (command(database, "--since", "30d", "--json").lines().count() > 0) {
                assertThat("purged within 10 s", System.nanoTime(), lessThan(deadline));
                Thread.sleep(100);
            }
        }
    }

    @Test
    void withoutAStoreTheCommandSaysWhere() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Commands.run(new String[] {"events", "--since", "2h"}, () -> TestApp.config(Map.of()),
                                  new PrintStream(out, true, StandardCharsets.UTF_8),
                                  new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status, is(2));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("events: no store is configured"));
        err.reset();
        assertThat(Commands.run(new String[] {"events", "--since", "soon"}, () -> TestApp.config(Map.of()),
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8)), is(2));
        assertThat(err.toString(StandardCharsets.UTF_8), is("events: --since takes a duration such as 90s, 30m, 2h,"
                + " 7d or PT2H, not 'soon'\n" + EventsCommand.USAGE + "\n"));
        assertThat(Commands.run(new String[] {"events", "--help"}, () -> TestApp.config(Map.of()),
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8)), is(0));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("events [--user NAME] [--client ID]"));
    }

    @Test
    void theTableEscapesWhatItShows() {
        SecurityEvent hostile = new SecurityEvent(clock.instant(), "login", "failure", "unknown_user",
                                                  "a\u001b[2Jb\nc d", "client", "127.0.0.1", null, null, null, null,
                                                  null, null, "r");
        String table = EventsCommand.table(List.of(hostile));
        assertThat(table.lines().count(), is(2L));
        assertThat(table, containsString("a\\x1b[2Jb\\nc\\x20d"));
    }

    private TestApp.Running start(Map<String, String> database, String replica) {
        Map<String, String> all = new HashMap<>(database);
        all.put("app.events.replica", replica);
        return TestApp.start(TestApp.create(all, clock).server());
    }

    private static void flush(TestApp.Running... replicas) {
        for (TestApp.Running replica : replicas) {
            replica.service().stores().events().orElseThrow().flush();
        }
    }

    private String command(Map<String, String> database, String... args) {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(database)).build();
        StoreSettings settings = StoreSettings.create(config.get("app.store"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new EventsCommand(() -> PostgresStore.eventReader(settings), clock)
                .run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                     new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8), status, is(0));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject tokens(TestApp.Running running, String form, String... headers) {
        try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token", form, headers)) {
            assertThat(res.status().code(), is(200));
            return res.as(JsonObject.class);
        }
    }

    private static void status(TestApp.Running running, String form, String... headers) {
        try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token", form, headers)) {
            res.status();
        }
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes());
    }
}
