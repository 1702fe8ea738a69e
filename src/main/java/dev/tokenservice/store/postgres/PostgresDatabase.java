package dev.tokenservice.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import dev.tokenservice.store.StoreSettings;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The PostgreSQL database of the shared stores: a HikariCP pool for the request path, plain connections for the
 * revocation listener, and the schema migrated by Flyway from {@code db/migration} at start (unless
 * {@code app.store.migrate} is off).
 */
final class PostgresDatabase implements AutoCloseable {
    /** A statement that has not answered by then is failed: a request never hangs on a lost database. */
    private static final int SOCKET_TIMEOUT_SECONDS = 10;

    private final StoreSettings settings;
    private final HikariDataSource pool;

    private PostgresDatabase(StoreSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /**
     * Connects, and migrates the schema when configured to.
     *
     * @throws IllegalStateException when the database cannot be reached or migrated; the message says which URL
     */
    static PostgresDatabase connect(StoreSettings settings) {
        String shown = StoreSettings.withoutQuery(settings.url().orElseThrow());
        HikariConfig config = new HikariConfig();
        config.setPoolName("token-service-store");
        config.setJdbcUrl(settings.url().get());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        // idle connections of every replica add up on the server: keep two, open more under load
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        // start-up fails, saying so, when the database cannot be reached: Kubernetes restarts the pod
        config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
        config.setAutoCommit(false);
        config.setDataSourceProperties(driverProperties(settings));
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new IllegalStateException("app.store.url: cannot connect to " + shown + ": " + rootMessage(e));
        }
        if (settings.migrate()) {
            try {
                Flyway.configure()
                        .dataSource(pool)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
            } catch (FlywayException e) {
                pool.close();
                throw new IllegalStateException("app.store: migrating the schema of " + shown + " failed: "
                                                        + rootMessage(e));
            }
        }
        return new PostgresDatabase(settings, pool);
    }

    /** The pool; connections are not in auto-commit mode. */
    DataSource pool() {
        return pool;
    }

    /**
     * A connection outside the pool, in auto-commit mode, for a long-lived listener.
     *
     * @throws SQLException when the database cannot be reached
     */
    Connection dedicatedConnection() throws SQLException {
        Properties properties = driverProperties(settings);
        properties.setProperty(PGProperty.USER.getName(), settings.username());
        properties.setProperty(PGProperty.PASSWORD.getName(), settings.password());
        Connection connection = new Driver().connect(settings.url().orElseThrow(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL");
        }
        return connection;
    }

    @Override
    public void close() {
        pool.close();
    }

    private static Properties driverProperties(StoreSettings settings) {
        Properties properties = new Properties();
        int connectSeconds = (int) Math.max(1, settings.connectionTimeout().toSeconds());
        properties.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), Integer.toString(connectSeconds));
        properties.setProperty(PGProperty.SOCKET_TIMEOUT.getName(), Integer.toString(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
        properties.setProperty(PGProperty.APPLICATION_NAME.getName(), "token-service");
        return properties;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
