package dev.tokenservice.users;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Users listed in configuration under {@code app.users}, and in the {@code users} list of the YAML file that
 * {@code app.users-file} names (a mounted Kubernetes Secret, for example).
 * <p>
 * Start-up fails, naming the user, on a missing username, a username that starts with
 * {@value User#CLIENT_PREFIX} (answers name clients so), a duplicate username, a malformed bcrypt hash or a scope
 * the service does not know.
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
     * @param appConfig   the {@code app} node
     * @param knownScopes scopes the service defines
     * @param cost        the configured bcrypt cost, which the unknown-user check spends
     * @return store
     * @throws IllegalStateException when an entry is invalid or the users file cannot be read
     */
    public static ConfigUserStore create(Config appConfig, Set<String> knownScopes, int cost) {
        List<Config> entries = new ArrayList<>(appConfig.get("users").asNodeList().orElse(List.of()));
        appConfig.get("users-file").asString().ifPresent(file -> entries.addAll(usersFile(file)));
        Map<String, User> users = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String username = entry.get("username").asString().orElse("").strip();
            if (username.isEmpty()) {
                throw new IllegalStateException("User #" + i + " has no username");
            }
            if (username.startsWith(User.CLIENT_PREFIX)) {
                throw new IllegalStateException("User '" + username + "' has a username that starts with '"
                                                        + User.CLIENT_PREFIX + "', which marks clients in answers;"
                                                        + " choose another username");
            }
            String hash = entry.get("password-hash").asString().orElse("");
            if (!PasswordHasher.isWellFormed(hash)) {
                throw new IllegalStateException("User '" + username + "' has a malformed password-hash: expected a"
                                                        + " bcrypt hash such as $2a$12$... (see the hash-password"
                                                        + " command)");
            }
            if (PasswordHasher.costOf(hash) != cost) {
                LOGGER.log(System.Logger.Level.WARNING, "User '" + username + "' has a bcrypt hash of cost "
                        + PasswordHasher.costOf(hash) + " while app.password.bcrypt-cost is " + cost + ": a wrong"
                        + " password for this user takes another time than an unknown username; rehash it");
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

    private static List<Config> usersFile(String file) {
        if (Files.notExists(Path.of(file))) {
            throw new IllegalStateException("app.users-file " + file + " does not exist");
        }
        Config users = Config.just(ConfigSources.file(file)).get("users");
        return users.asNodeList().orElseThrow(
                () -> new IllegalStateException("app.users-file " + file + " has no users list"));
    }

    /**
     * Whether no user is configured.
     *
     * @return whether the store is empty
     */
    public boolean isEmpty() {
        return users.isEmpty();
    }

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }
}
