package dev.tokenservice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The PostgreSQL store lost and back gives one {@code store} event each way; the event table alone gone costs the
 * requests nothing: they answer as usual and at once, their events still reach the log, and what could not be
 * written is counted.
 */
class SecurityEventsOutageTest {
    /** The embedded server takes seconds to start again, and the listener backs off: generous. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String UNWRITTEN = "security_events_unwritten_total\\{";

    @Test
    void theStoreLostAndBackIsOneEventEachWay() {
        Map<String, String> config = new HashMap<>(TestDatabase.newDatabase());
        config.put("app.store.connection-timeout", "PT0.5S");
        config.put("app.events.replica", "store-" + UUID.randomUUID());
        try (TestApp.Running running = TestApp.start(TestApp.create(config).server());
             CapturedEvents events = new CapturedEvents(running.service())) {
            eventually(WAIT, () -> assertThat(ready(running), containsString("\"storeConnected\":true")));
            assertThat(events.nextSummaries(), is(List.of()));
            List<JsonObject> seen = new ArrayList<>();
            TestDatabase.stop();
            try {
                eventually(WAIT, () -> {
                    seen.addAll(events.next());
                    assertThat(summaries(seen), is(List.of("store failure unavailable")));
                });
                assertThat(seen.getFirst().getString("detail"), startsWith("SQL state "));
                assertThat(seen.getFirst().containsKey("username"), is(false));
                assertThat(seen.getFirst().getString("replica"), is(config.get("app.events.replica")));
            } finally {
                TestDatabase.restart();
            }
            // the listener retried through the outage; one event when the store is back, none more for the outage
            eventually(WAIT, () -> {
                seen.addAll(events.next());
                assertThat(summaries(seen), is(List.of("store failure unavailable", "store success available")));
            });
            eventually(WAIT, () -> assertThat(ready(running), containsString("\"storeConnected\":true")));
            assertThat(events.nextSummaries(), is(List.of()));
        }
    }

    @Test
    void theEventTableGoneCostsTheRequestsNothing() throws Exception {
        Map<String, String> config = new HashMap<>(TestDatabase.newDatabase());
        config.put("app.events.replica", "table-" + UUID.randomUUID());
        try (TestApp.Running running = TestApp.start(TestApp.create(config).server());
             CapturedEvents events = new CapturedEvents(running.service());
             Connection admin = DriverManager.getConnection(config.get("app.store.url"),
                                                            config.get("app.store.username"),
                                                            config.get("app.store.password"))) {
            // the same actions once with the table there: the JIT warmed up, and their rows written
            List<String> expected = actions(running);
            assertThat(events.nextSummaries(), is(expected));
            running.service().stores().events().orElseThrow().flush();
            assertThat(rows(admin), is(expected.size()));
            // the meters are the JVM's, shared with the services of earlier tests: counted from here
            String metrics = TestApp.metrics(running.client());
            assertThat(metrics, containsString("security_events_unwritten_total{"));
            double before = TestApp.metric(metrics, UNWRITTEN);

            execute(admin, "ALTER TABLE security_event RENAME TO security_event_gone");
            try {
                // each request answers as usual, at once (timed in actions), and its events reach the log
                assertThat(actions(running), is(expected));
                assertThat(events.nextSummaries(), is(expected));
                // the writer tried them and counted every one it could not write
                eventually(WAIT, () -> TestApp.metric(TestApp.metrics(running.client()), UNWRITTEN),
                           is(before + expected.size()));
            } finally {
                execute(admin, "ALTER TABLE security_event_gone RENAME TO security_event");
            }

            // back: written again; the events of the outage are not (they are in the log), and none more counted
            status(running, "grant_type=password&username=alice&password=wrong", 400);
            assertThat(events.nextSummaries(), is(List.of("login failure wrong_password")));
            eventually(WAIT, () -> assertThat(rows(admin), is(expected.size() + 1)));
            assertThat(TestApp.metric(TestApp.metrics(running.client()), UNWRITTEN), is(before + expected.size()));
        }
    }

    /**
     * Actions that give events, each answered as usual and well within a second.
     *
     * @return the events they give
     */
    private static List<String> actions(TestApp.Running running) {
        for (int i = 0; i < 3; i++) {
            status(running, "grant_type=password&username=alice&password=wrong-" + i, 400);
        }
        status(running, "grant_type=password&username=nobody&password=wrong", 400);
        status(running, "grant_type=client_credentials", 401,
               "Authorization", "Basic " + Base64.getEncoder().encodeToString("test-service:wrong".getBytes()));
        status(running, "grant_type=password&username=alice&password=alice-password", 200);
        return List.of("login failure wrong_password", "login failure wrong_password", "login failure wrong_password",
                       "login failure unknown_user", "client.auth failure wrong_secret", "login success");
    }

    private static void status(TestApp.Running running, String form, int expected, String... headers) {
        long start = System.nanoTime();
        try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token", form, headers)) {
            assertThat(form, res.status().code(), is(expected));
        }
        assertThat("answered in ms: " + form, Duration.ofNanos(System.nanoTime() - start).toMillis(), lessThan(1000L));
    }

    private static int rows(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM security_event")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void execute(Connection admin, String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String ready(TestApp.Running running) {
        try (Http1ClientResponse res = running.client().get("/observe/health/ready").request()) {
            return res.as(String.class);
        }
    }

    private static List<String> summaries(List<JsonObject> events) {
        return events.stream().map(CapturedEvents::summary).toList();
    }
}
