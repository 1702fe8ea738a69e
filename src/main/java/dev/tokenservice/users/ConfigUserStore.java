package dev.tokenservice.users;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.config.ConfigurationException;
import dev.tokenservice.config.WatchedFile;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * Users listed in configuration under {@code app.users}, and in the {@code users} list of the YAML file that
 * {@code app.users-file} names (a mounted Kubernetes Secret, for example).
 * <p>
 * Start-up fails, naming the user, on a missing username, a username that starts with
 * {@value User#CLIENT_PREFIX} (answers name clients so), a duplicate username, a malformed bcrypt hash, a scope
 * the service does not know, or an entry of the users file that is not a setting of a user.
 * <p>
 * The users file is read again every {@code app.users-reload-interval}, as the key set is: a changed file
 * that validates replaces the users at once (a user removed or disabled is refused on the next request, also with
 * a token issued before); one that does not is refused with an error in the log, and the current users stay.
 */
public final class ConfigUserStore implements UserStore {
    private static final System.Logger LOGGER = System.getLogger(ConfigUserStore.class.getName());

    private final List<Config> configured;
    private final Path file;
    private final Set<String> knownScopes;
    private final int cost;
    private Supplier<Map<String, User>> users;
    private WatchedFile<Map<String, User>> watched;

    private ConfigUserStore(List<Config> configured, Path file, Set<String> knownScopes, int cost) {
        this.configured = configured;
        this.file = file;
        this.knownScopes = knownScopes;
        this.cost = cost;
    }

    /**
     * Reads the users, and starts watching the users file when there is one.
     *
     * @param appConfig   the {@code app} node
     * @param cost        the configured bcrypt cost, which the unknown-user check spends
     * @throws IllegalStateException when an entry is invalid or the users file cannot be read
     */
    public static ConfigUserStore create(Config appConfig, Set<String> knownScopes, int cost) {
        return create(appConfig, knownScopes, cost, SecurityEvents.NONE);
    }

    /**
     * Reads the users, and starts watching the users file when there is one, reporting each reload or refused file.
     *
     * @param appConfig   the {@code app} node
     * @param knownScopes scopes the service defines
     * @param cost        the configured bcrypt cost, which the unknown-user check spends
     * @param events      where the events go
     * @return store
     * @throws IllegalStateException when an entry is invalid or the users file cannot be read
     */
    public static ConfigUserStore create(Config appConfig, Set<String> knownScopes, int cost, SecurityEvents events) {
        List<Config> configured = appConfig.get("users").asNodeList().orElse(List.of());
        Path file = ConfigKeys.USERS_FILE.text(appConfig).map(Path::of).orElse(null);
        ConfigUserStore store = new ConfigUserStore(configured, file, Set.copyOf(knownScopes), cost);
        if (file == null) {
            Map<String, User> users = store.parse(null);
            store.users = () -> users;
        } else {
            Duration interval = ConfigKeys.USERS_RELOAD_INTERVAL.duration(appConfig);
            store.watched = WatchedFile.watch("app.users-file", file, store::parse,
                                              users -> users.size() + " users", users -> { }, interval,
                                              new WatchedFile.Listener<>() {
                                                  @Override
                                                  public void reloaded(Map<String, User> previous,
                                                                       Map<String, User> next) {
                                                      events.emit(SecurityEvent.success(EventTypes.USERS_RELOAD)
                                                                          .count(next.size()).build());
                                                  }

                                                  @Override
                                                  public void refused(boolean read, String problem) {
                                                      events.emit(SecurityEvent.failure(EventTypes.USERS_RELOAD,
                                                                                        read ? Reasons.INVALID
                                                                                                : Reasons.UNREADABLE)
                                                                          .detail(problem).build());
                                                  }
                                              });
            store.users = store.watched::current;
        }
        return store;
    }

    /** Reads the users file again; a changed file that validates replaces the users. */
    public boolean reload() {
        return watched != null && watched.reload();
    }

    private Map<String, User> parse(byte[] fileContent) {
        List<Config> entries = new ArrayList<>(configured);
        if (fileContent != null) {
            entries.addAll(usersFile(file, fileContent));
        }
        Map<String, User> users = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String username = ConfigKeys.USER_USERNAME.text(entry).orElse("").strip();
            if (username.isEmpty()) {
                throw new IllegalStateException("User #" + i + " has no username");
            }
            if (username.startsWith(User.CLIENT_PREFIX)) {
                throw new IllegalStateException("User '" + username + "' has a username that starts with '"
                                                        + User.CLIENT_PREFIX + "', which marks clients in answers;"
                                                        + " choose another username");
            }
            String hash = ConfigKeys.USER_PASSWORD_HASH.text(entry).orElse("");
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
            Set<String> scopes = new HashSet<>(ConfigKeys.USER_SCOPES.node(entry).asList(String.class)
                                                       .orElse(List.of()));
            Set<String> unknown = new HashSet<>(scopes);
            unknown.removeAll(knownScopes);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("User '" + username + "' has scopes the service does not define: "
                                                        + unknown + "; defined in app.scopes: " + knownScopes);
            }
            User user = new User(username,
                                 ConfigKeys.USER_FULL_NAME.text(entry).orElse(username),
                                 ConfigKeys.USER_EMAIL.text(entry).orElse(null),
                                 hash,
                                 ConfigKeys.USER_DISABLED.bool(entry),
                                 scopes);
            if (users.putIfAbsent(username, user) != null) {
                throw new IllegalStateException("User '" + username + "' is configured more than once");
            }
            if (ConfigKeys.USER_DEMO.bool(entry)) {
                LOGGER.log(System.Logger.Level.WARNING, "Demo user '" + username + "' is configured: its password is"
                        + " public; remove it outside development");
            }
        }
        return Map.copyOf(users);
    }

    /** The entries of the users file; each leaf must be a setting of a user, with a value of its kind. */
    private static List<Config> usersFile(Path file, byte[] content) {
        Config root;
        try {
            root = Config.just(ConfigSources.create(new String(content, StandardCharsets.UTF_8),
                                                    MediaTypes.APPLICATION_X_YAML));
        } catch (ConfigException e) {
            throw new IllegalStateException("app.users-file " + file + " is not valid YAML", e);
        }
        root.traverse().filter(node -> node.type() == Config.Type.VALUE).forEach(node -> {
            try {
                ConfigKeys.checkAs("app." + node.key(), node);
            } catch (ConfigurationException e) {
                throw new IllegalStateException("app.users-file " + file + ": " + node.key() + ": "
                                                        + e.getMessage().substring(e.key().length() + 2));
            }
        });
        return root.get("users").asNodeList().orElseThrow(
                () -> new IllegalStateException("app.users-file " + file + " has no users list"));
    }

    /**
     * Whether no user is configured.
     *
     * @return whether the store is empty
     */
    public boolean isEmpty() {
        return users.get().isEmpty();
    }

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(users.get().get(username));
    }
}
