package dev.tokenservice.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.tokenservice.TestDatabase;
import dev.tokenservice.store.StoreSettings;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * One database of the test PostgreSQL for a test class of the PostgreSQL stores, migrated once; each test gets its
 * tables emptied and stores of its own.
 */
final class PostgresStoreFixture {
    private final Map<String, String> store;

    PostgresStoreFixture() {
        this.store = TestDatabase.newDatabase();
        // migrates
        PostgresDatabase.connect(settings(true)).close();
    }

    /**
     * Empties the tables and connects, without migrating again.
     *
     * @return database
     */
    PostgresDatabase connectEmpty() {
        PostgresDatabase database = PostgresDatabase.connect(settings(false));
        update(database, "TRUNCATE refresh_session, refresh_token, session_access_token, revoked_access_token,"
                + " login_failure");
        return database;
    }

    PostgresRevokedTokens revokedTokens(PostgresDatabase database, Clock clock) {
        return PostgresRevokedTokens.start(database, clock, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    static int count(PostgresDatabase database, String sql, Object... parameters) {
        try (Connection connection = database.pool().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                int count = rows.getInt(1);
                connection.rollback();
                return count;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(PostgresDatabase database, String sql) {
        try (Connection connection = database.pool().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private StoreSettings settings(boolean migrate) {
        Map<String, String> values = new HashMap<>(store);
        values.put("app.store.migrate", Boolean.toString(migrate));
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
        return StoreSettings.create(config.get("app.store"));
    }
}
