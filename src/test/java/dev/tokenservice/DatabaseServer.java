package dev.tokenservice;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL on 127.0.0.1 for scripts ({@code .ci/image}), from the same binaries the tests use: no package to
 * install. Not a test. Starts the server on the given port with a database {@code tokens} (user {@code postgres},
 * no password, loopback only), prints {@code ready}, and stops when its standard input closes or it is terminated.
 * <p>
 * {@code java -cp ... dev.tokenservice.DatabaseServer <port> <data folder>}
 */
public final class DatabaseServer {
    private DatabaseServer() {
    }

    /**
     * Runs the server.
     *
     * @param args port and data folder
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DatabaseServer <port> <data folder>");
            System.exit(2);
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(Integer.parseInt(args[0]))
                .setDataDirectory(Path.of(args[1]))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start()) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE tokens");
            }
            System.out.println("ready");
            System.out.flush();
            // until the script closes our standard input (or kills us: the shutdown hook stops the server)
            while (System.in.read() >= 0) {
                // keep reading
            }
        }
    }
}
