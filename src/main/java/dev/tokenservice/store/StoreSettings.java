package dev.tokenservice.store;

import java.time.Duration;
import java.util.Optional;

import dev.tokenservice.config.ConfigKeys;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * Where the shared state lives ({@code app.store}): in memory when {@code url} is absent or empty, else in the
 * PostgreSQL database it names. Each setting is described in {@link ConfigKeys}; the password is never logged.
 */
public record StoreSettings(Optional<String> url, String username, String password, boolean migrate, int poolSize,
                            Duration connectionTimeout, Duration purgeInterval, int purgeBatchSize) {
    /** Reads the {@code app.store} node. */

    public static StoreSettings create(Config config) {
        try {
            Optional<String> url = ConfigKeys.STORE_URL.text(config).map(String::trim).filter(u -> !u.isEmpty());
            if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException("app.store.url must be a PostgreSQL JDBC URL"
                                                        + " (jdbc:postgresql://host:5432/database)");
            }
            StoreSettings settings = new StoreSettings(url,
                                                       ConfigKeys.STORE_USERNAME.string(config),
                                                       ConfigKeys.STORE_PASSWORD.string(config),
                                                       ConfigKeys.STORE_MIGRATE.bool(config),
                                                       ConfigKeys.STORE_POOL_SIZE.integer(config),
                                                       ConfigKeys.STORE_CONNECTION_TIMEOUT.duration(config),
                                                       ConfigKeys.STORE_PURGE_INTERVAL.duration(config),
                                                       ConfigKeys.STORE_PURGE_BATCH_SIZE.integer(config));
            if (settings.poolSize() < 2 || settings.purgeBatchSize() < 1
                    || settings.connectionTimeout().toMillis() < 250 || settings.purgeInterval().isNegative()
                    || settings.purgeInterval().isZero()) {
                throw new IllegalStateException("app.store: pool-size must be at least 2, purge-batch-size at least"
                                                        + " 1, connection-timeout at least PT0.25S and"
                                                        + " purge-interval positive");
            }
            return settings;
        } catch (ConfigException e) {
            throw new IllegalStateException("app.store: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + url.map(StoreSettings::withoutQuery).orElse("memory") + "]";
    }

    /** The URL as it may be shown: without its query, which can hold a password. */
    public static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
