package dev.tokenservice.users;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.config.Config;

/**
 * Users listed in configuration under {@code app.users}.
 * <p>
 * Start-up fails, naming the user, on a missing username, a duplicate username, a malformed bcrypt hash or a
 * scope the service does not know.
 */
public final class ConfigUserStore implements UserStore {
    private static final System.Logger LOGGER = System.getLogger(ConfigUserStore.class.getName());

    private final Map<String, User> users;

    private ConfigUserStore(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    /**
     * Reads the users.
     *
     * @param usersConfig the {@code app.users} list
     * @param knownScopes scopes the service defines
     * @return store
     * @throws IllegalStateException when an entry is invalid
     */
    public static ConfigUserStore create(Config usersConfig, Set<String> knownScopes) {
        Map<String, User> users = new HashMap<>();
        List<Config> entries = usersConfig.asNodeList().orElse(List.of());
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String username = entry.get("username").asString().orElse("").strip();
            if (username.isEmpty()) {
                throw new IllegalStateException("app.users." + i + " has no username");
            }
            String hash = entry.get("password-hash").asString().orElse("");
            if (!PasswordHasher.isWellFormed(hash)) {
                throw new IllegalStateException("User '" + username + "' has a malformed password-hash: expected a"
                                                        + " bcrypt hash such as $2a$12$... (see the hash-password"
                                                        + " command)");
            }
            Set<String> scopes = new HashSet<>(entry.get("scopes").asList(String.class).orElse(List.of()));
            Set<String> unknown = new HashSet<>(scopes);
            unknown.removeAll(knownScopes);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("User '" + username + "' has scopes the service does not define: "
                                                        + unknown + "; defined in app.scopes: " + knownScopes);
            }
            User user = new User(username,
                                 entry.get("full-name").asString().orElse(username),
                                 entry.get("email").asString().orElse(null),
                                 hash,
                                 entry.get("disabled").asBoolean().orElse(false),
                                 scopes);
            if (users.putIfAbsent(username, user) != null) {
                throw new IllegalStateException("User '" + username + "' is configured more than once");
            }
            if (entry.get("demo").asBoolean().orElse(false)) {
                LOGGER.log(System.Logger.Level.WARNING, "Demo user '" + username + "' is configured: its password is"
                        + " public; remove it outside development");
            }
        }
        return new ConfigUserStore(users);
    }

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    /**
     * Number of users.
     *
     * @return count
     */
    public int size() {
        return users.size();
    }
}
