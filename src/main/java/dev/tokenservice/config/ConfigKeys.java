package dev.tokenservice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.helidon.config.Config;

/**
 * Every configuration key the service reads, declared once, with the kind of value it takes, its default and what it
 * means: the code reads each through its {@link Key}, start-up refuses a key under {@code app} that is not declared
 * here (a misspelled {@code generat: true} would otherwise be ignored without a word) and a value of the wrong kind
 * ({@code generate: maybe}, {@code ttl: 30m}), naming the key and the nearest declared names; the configuration
 * reference (docs/configuration.md) is made from {@link #reference()}. Also checks the {@code server} keys the service
 * documents; Helidon owns the rest of {@code server}.
 * <p>
 * <b>A key you add must be declared here</b>, or start-up refuses it. In a name, {@code *} stands for one list index
 * or one name of the deployment's choosing ({@code app.users.*.username}).
 * <p>
 * A key that only an environment variable sets is not refused but warned about: Helidon turns every variable into a
 * key ({@code APP_ENV=prod} becomes {@code app.env}), and a deployment's unrelated variables must not stop it.
 */
public final class ConfigKeys {
    // server (Helidon reads these; the service checks their values and reads the port and host)
    public static final Key SERVER_PORT = key("server.port", Kind.PORT, "8080",
            "listening port (`0`: any free port)");
    public static final Key SERVER_HOST = key("server.host", Kind.TEXT, "0.0.0.0", "listening address");
    public static final Key SERVER_MAX_PAYLOAD_SIZE = key("server.max-payload-size",
            Kind.integer(0, Integer.MAX_VALUE), "16384", "largest request body in bytes; larger gets 413");
    public static final Key SERVER_SHUTDOWN_GRACE_PERIOD = key("server.shutdown-grace-period", Kind.DURATION,
            "PT10S", "time requests in flight get to finish on shutdown");

    // tokens
    public static final Key TOKEN_ISSUER = shown("app.token.issuer", Kind.URL,
            "none: development, `http://localhost:<port>`",
            "the `iss` claim and the RFC 8414 issuer, an http(s) URL; every metadata URL is built from it. Unset"
                    + " means development: the issuer is this server on the port it listens on");
    public static final Key TOKEN_AUDIENCE = key("app.token.audience", Kind.TEXT, "token-service",
            "the `aud` claim of issued tokens, which an access token must name");
    public static final Key TOKEN_TTL = key("app.token.ttl", Kind.DURATION, "PT30M",
            "access token lifetime (`expires_in`)");
    public static final Key TOKEN_TYPE = key("app.token.type", Kind.oneOf(false, "at+jwt", "JWT"), "at+jwt",
            "the `typ` header: `at+jwt` (RFC 9068), or `JWT` for verifiers that refuse `at+jwt`");
    public static final Key TOKEN_CACHE_MEMORY = key("app.token.cache-memory", Kind.SIZE, "24 MB",
            "the most memory kept by the cache of verified access tokens (`24 MB`, `512 KB`, or bytes; about 1.6 KB"
                    + " a token), so that a token's signature is checked once; expiry, revocation, the user's state"
                    + " and key changes still apply to every request. `0`: no cache");
    public static final Key TOKEN_AUTHENTICATE_EVERY_REQUEST = key("app.token.authenticate-every-request",
            Kind.BOOLEAN, "false",
            "`true`: every request is authenticated by Helidon Security with the providers, the framework's way;"
                    + " `false`: a token's later requests get the identity its first built"
                    + " ([design note](architecture.md#design-note-the-security-context-shortcut))");

    // keys
    public static final Key KEYS_FILE = key("app.keys.file", Kind.TEXT, ".keys/jwks.json",
            "JWK set with the signing key(s)");
    public static final Key KEYS_GENERATE = key("app.keys.generate", Kind.BOOLEAN, "false",
            "create that file with a new key when it is missing (`./application.yaml`, for development, says"
                    + " `true`)");
    public static final Key KEYS_ALGORITHM = key("app.keys.algorithm", Kind.oneOf(true, "RS256", "ES256", "HS256"),
            "RS256", "algorithm of generated keys: `RS256`, `ES256` or `HS256`");
    public static final Key KEYS_ACTIVE_KID = shown("app.keys.active-kid", Kind.TEXT,
            "the set's `active_kid`, or its only key", "`kid` of the key that signs new tokens");
    public static final Key KEYS_RELOAD_INTERVAL = key("app.keys.reload-interval", Kind.DURATION, "PT5S",
            "how often the key file is read again; a changed, valid set replaces the current one (`PT0S`: never)");

    // passwords and their checks
    public static final Key PASSWORD_BCRYPT_COST = key("app.password.bcrypt-cost", Kind.integer(4, 31), "12",
            "bcrypt cost of `hash-password` and of the unknown-user check");
    public static final Key PASSWORD_BULKHEAD_LIMIT = shown("app.password.bulkhead.limit", Kind.integer(1, 4096),
            "the number of cores",
            "bcrypt checks (logins, bcrypt client secrets) that run at once, off the request threads");
    public static final Key PASSWORD_BULKHEAD_QUEUE_LENGTH = shown("app.password.bulkhead.queue-length",
            Kind.integer(0, 100_000), "twice the limit",
            "checks that may wait; beyond them a check is answered 503 with `Retry-After`");
    public static final Key PASSWORD_BULKHEAD_MAX_QUEUE_WAIT = key("app.password.bulkhead.max-queue-wait",
            Kind.DURATION, "PT0.5S", "the longest a check waits for its turn; one that waited longer is answered 503");

    // login protection
    public static final Key LOGIN_PROTECTION_ENABLED = key("app.login-protection.enabled", Kind.BOOLEAN, "true",
            "throttle failed logins and client authentications ([login protection](operating.md#login-protection));"
                    + " `false` for a test rig");
    public static final Key LOGIN_PROTECTION_THRESHOLD = key("app.login-protection.threshold",
            Kind.integer(1, Integer.MAX_VALUE), "5",
            "consecutive failures of one username or client id before each further attempt waits");
    public static final Key LOGIN_PROTECTION_ADDRESS_THRESHOLD = key("app.login-protection.address-threshold",
            Kind.integer(1, Integer.MAX_VALUE), "20",
            "failures from one client address, any username, before its attempts wait");
    public static final Key LOGIN_PROTECTION_INITIAL_DELAY = key("app.login-protection.initial-delay",
            Kind.DURATION, "PT1S", "the first wait; each further failure doubles it");
    public static final Key LOGIN_PROTECTION_MAX_DELAY = key("app.login-protection.max-delay", Kind.DURATION,
            "PT15M", "the longest wait");
    public static final Key LOGIN_PROTECTION_ADDRESS_FORGET_AFTER = key("app.login-protection.address-forget-after",
            Kind.DURATION, "PT15M", "an address quiet this long (after its wait) starts from zero");
    public static final Key LOGIN_PROTECTION_TRUSTED_PROXIES = shown("app.login-protection.trusted-proxies.*",
            Kind.TEXT, "none",
            "reverse proxies (addresses or CIDR blocks) whose forwarding header names the client");
    public static final Key LOGIN_PROTECTION_FORWARDED_HEADER = key("app.login-protection.forwarded-header",
            Kind.TEXT, "X-Forwarded-For", "the header those proxies write: `X-Forwarded-For` or `Forwarded`");

    // users and clients
    public static final Key SCOPES = shown("app.scopes.*", Kind.TEXT, "`me`, `items`",
            "the scopes the service knows, each with a description");
    public static final Key USER_USERNAME = shown("app.users.*.username", Kind.TEXT,
            "none (two demo users in `./application.yaml`)", "a user ([users](operating.md#users)): the name");
    public static final Key USER_FULL_NAME = shown("app.users.*.full-name", Kind.TEXT, "the username",
            "the user's full name");
    public static final Key USER_EMAIL = shown("app.users.*.email", Kind.TEXT, "none", "the user's email address");
    public static final Key USER_PASSWORD_HASH = shown("app.users.*.password-hash", Kind.TEXT, "none",
            "the bcrypt hash of the password (`bin/token-service hash-password`)");
    public static final Key USER_DISABLED = key("app.users.*.disabled", Kind.BOOLEAN, "false",
            "a disabled user cannot log in, and its tokens are refused");
    public static final Key USER_DEMO = key("app.users.*.demo", Kind.BOOLEAN, "false",
            "marks a user whose password is public (a warning at start)");
    public static final Key USER_SCOPES = shown("app.users.*.scopes.*", Kind.TEXT, "none",
            "the scopes the user may have");
    public static final Key USERS_FILE = shown("app.users-file", Kind.TEXT, "none",
            "a YAML file with a `users:` list, read besides `app.users` (a mounted Secret)");
    public static final Key USERS_RELOAD_INTERVAL = key("app.users-reload-interval", Kind.DURATION, "PT5S",
            "how often the users file is read again; a changed, valid file replaces the users (`PT0S`: never)");
    public static final Key DEFAULT_CLIENT = key("app.default-client", Kind.TEXT, "public-client",
            "the public client of requests without client credentials; `\"\"`: none");
    public static final Key CLIENT_ID = shown("app.clients.*.client-id", Kind.TEXT,
            "none (three in `./application.yaml`)", "an OAuth2 client ([clients](api.md#clients)): its id");
    public static final Key CLIENT_TYPE = shown("app.clients.*.type", Kind.oneOf(false, "public", "confidential"),
            "none", "`public` or `confidential`");
    public static final Key CLIENT_SECRET_HASH = shown("app.clients.*.secret-hash", Kind.TEXT, "none",
            "a confidential client's secret, hashed (`bin/token-service client-secret`)");
    public static final Key CLIENT_GRANT_TYPES = shown("app.clients.*.grant-types.*", Kind.TEXT, "none",
            "the grant types the client may use");
    public static final Key CLIENT_SCOPES = shown("app.clients.*.scopes.*", Kind.TEXT, "none",
            "the scopes the client may have");
    public static final Key CLIENT_DEMO = key("app.clients.*.demo", Kind.BOOLEAN, "false",
            "marks a client whose secret is public (a warning at start)");

    // refresh tokens
    public static final Key REFRESH_IDLE_TTL = key("app.refresh-token.idle-ttl", Kind.DURATION, "P7D",
            "a refresh token unused this long expires");
    public static final Key REFRESH_ABSOLUTE_TTL = key("app.refresh-token.absolute-ttl", Kind.DURATION, "P30D",
            "no refresh token outlives its login by more");
    public static final Key REFRESH_MAX_SESSIONS_PER_USER = key("app.refresh-token.max-sessions-per-user",
            Kind.integer(1, Integer.MAX_VALUE), "50",
            "live sessions of one user; a login beyond it revokes the user's oldest session");
    public static final Key REFRESH_MAX_USED_TOKENS_PER_SESSION = key(
            "app.refresh-token.max-used-tokens-per-session", Kind.integer(1, Integer.MAX_VALUE), "20",
            "used refresh tokens a session remembers for reuse detection; an older one is refused as unknown");
    public static final Key REFRESH_MAX_ACCESS_TOKENS_PER_SESSION = key(
            "app.refresh-token.max-access-tokens-per-session", Kind.integer(1, Integer.MAX_VALUE), "50",
            "live access tokens a session remembers to revoke with it; a refresh beyond it revokes the oldest");

    // the shared store
    public static final Key STORE_URL = shown("app.store.url", Kind.TEXT, "none: in memory",
            "PostgreSQL JDBC URL (`jdbc:postgresql://db:5432/tokens`) of the"
                    + " [shared store](operating.md#shared-store); absent or empty: in memory, one process");
    public static final Key STORE_USERNAME = key("app.store.username", Kind.TEXT, "", "database user");
    public static final Key STORE_PASSWORD = key("app.store.password", Kind.TEXT, "",
            "its password (from a Secret; never logged)");
    public static final Key STORE_MIGRATE = key("app.store.migrate", Kind.BOOLEAN, "true",
            "migrate the schema at start (Flyway); `false` when an operator runs the migrations separately");
    public static final Key STORE_POOL_SIZE = key("app.store.pool-size", Kind.integer(2, 1000), "10",
            "most database connections of one instance, besides one for the revocation listener");
    public static final Key STORE_CONNECTION_TIMEOUT = key("app.store.connection-timeout", Kind.DURATION, "PT2S",
            "how long a request waits for a connection before its 503; also the start-up connect timeout");
    public static final Key STORE_PURGE_INTERVAL = key("app.store.purge-interval", Kind.DURATION, "PT1M",
            "how often expired sessions, revocations and counters are purged, off the request path");
    public static final Key STORE_PURGE_BATCH_SIZE = key("app.store.purge-batch-size", Kind.integer(1, 100_000),
            "1000", "rows deleted per purge statement (at most 100 statements per table and run)");

    // the server's behaviour
    public static final Key SHUTDOWN_DRAIN_TIME = key("app.shutdown.drain-time", Kind.DURATION, "PT5S",
            "after SIGTERM, readiness is down this long before the server stops");
    public static final Key TAKE_TURNS = key("app.take-turns", Kind.BOOLEAN, "true",
            "after every 8th request a connection's virtual thread lets the others that are ready run first, so"
                    + " that busy keep-alive connections cannot hold the carrier threads (the latency tail);"
                    + " `false` leaves Helidon's scheduling as it is");
    public static final Key ACCESS_LOG_FORMAT = key("app.access-log.format", Kind.oneOf(true, "plain", "json"),
            "plain", "access log lines: `plain` or `json`");
    public static final Key ACCESS_LOG_QUEUE_SIZE = key("app.access-log.queue-size", Kind.integer(1, 1 << 20),
            "8192", "lines waiting for the log writer before further lines are dropped (and counted)");

    // security events
    public static final Key EVENTS_RETENTION = key("app.events.retention", Kind.DURATION, "P90D",
            "how long the [security events](operating.md#security-events) stay in the shared store's table (PostgreSQL"
                    + " only), purged with the store; `PT0S`: none are written to it (the log still has them)");
    public static final Key EVENTS_REPLICA = shown("app.events.replica", Kind.TEXT,
            "the host name (`HOSTNAME`, the pod's name in Kubernetes)",
            "the `replica` member of this instance's security events");
    public static final Key EVENTS_QUEUE_SIZE = key("app.events.queue-size", Kind.integer(1, 1 << 20), "8192",
            "security events waiting for the log writer, and for the table's, before further ones are dropped (and"
                    + " counted)");

    /** The keys under {@code app}. */
    static final List<Key> APP = declared().filter(key -> key.name().startsWith("app.")).toList();
    /** The {@code server} keys whose values are checked; other {@code server} keys are Helidon's to judge. */
    static final List<Key> SERVER = declared().filter(key -> key.name().startsWith("server.")).toList();

    private ConfigKeys() {
    }

    /**
     * Checks the configuration.
     *
     * @param environment the process's environment variables, to tell keys that only a variable sets
     * @return warnings to log: unknown keys that only environment variables set
     * @throws ConfigurationException naming the first key with an unknown name or a bad value
     */
    public static List<String> check(Config root, Map<String, String> environment) {
        List<String> warnings = new ArrayList<>();
        checkServer(root);
        Config app = root.get("app");
        // a value written where a section is expected (token: 5) merges with the section of the defaults
        app.traverse().filter(node -> !isValue(node) && node.hasValue()).findFirst().ifPresent(node -> {
            throw new ConfigurationException(node.key().toString(), unknownKey(node.key().toString()));
        });
        List<Config> leaves = app.traverse().filter(ConfigKeys::isValue).toList();
        for (Config node : leaves) {
            String name = node.key().toString();
            Optional<Key> known = APP.stream().filter(key -> key.matches(name)).findFirst();
            if (known.isPresent()) {
                known.get().check(node);
                continue;
            }
            Optional<String> variable = variableFor(name, environment);
            if (variable.isPresent()) {
                warnings.add("The environment variable " + variable.get() + " sets " + name
                                     + ", which is not a setting of this service: ignored");
            } else {
                throw new ConfigurationException(name, unknownKey(name));
            }
        }
        return warnings;
    }

    /**
     * Whether a key is one the service reads under {@code app}, or one of the {@code server} keys it documents.
     *
     * @param name key, such as {@code app.users.0.username}
     */
    public static boolean isKnown(String name) {
        return APP.stream().anyMatch(key -> key.matches(name)) || SERVER.stream().anyMatch(key -> key.matches(name));
    }

    /**
     * Checks one value as the registered key of that name, for files with settings of their own (the users file).
     *
     * @param name the key it stands for, such as {@code app.users.0.disabled}
     * @throws ConfigurationException when the key is not registered or the value is not of its kind
     */
    public static void checkAs(String name, Config node) {
        Key key = APP.stream().filter(known -> known.matches(name)).findFirst()
                .orElseThrow(() -> new ConfigurationException(name, "not a setting of this service"));
        key.check(node);
    }

    /**
     * Checks the values of the {@code server} keys that the service documents.
     *
     * @throws ConfigurationException naming the first key with a bad value
     */
    public static void checkServer(Config root) {
        for (Key key : SERVER) {
            Config node = root.get(key.name());
            if (node.exists()) {
                key.check(node);
            }
        }
    }

    private static boolean isValue(Config node) {
        return node.type() == Config.Type.VALUE;
    }

    private static String unknownKey(String name) {
        String general = generalize(name);
        boolean section = APP.stream().anyMatch(key -> key.name().startsWith(general + "."));
        if (section) {
            return "is a section, not a value: it holds " + String.join(", ", siblings(general + "."));
        }
        String message = "not a setting of this service; did you mean " + String.join(" or ", nearest(general))
                + "?";
        int dot = general.lastIndexOf('.');
        String parent = general.substring(0, dot);
        Set<String> known = siblings(parent + ".");
        return known.isEmpty() ? message
                : message + " " + parent.replace("*", "each entry") + " has " + String.join(", ", known);
    }

    /** The declared names nearest to a name: the fewest single-character edits away. */
    private static List<String> nearest(String name) {
        Map<String, Integer> distances = new java.util.HashMap<>();
        APP.forEach(key -> distances.put(key.name(), distance(name, key.name())));
        int best = distances.values().stream().min(Integer::compare).orElse(0);
        return distances.entrySet().stream()
                .filter(entry -> entry.getValue() == best)
                .map(Map.Entry::getKey)
                .sorted()
                .limit(3)
                .toList();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Replaces list indexes by {@code *}, as in the patterns. */
    private static String generalize(String name) {
        return List.of(name.split("\\.")).stream()
                .map(segment -> segment.chars().allMatch(Character::isDigit) ? "*" : segment)
                .collect(Collectors.joining("."));
    }

    private static Set<String> siblings(String prefix) {
        Set<String> names = new TreeSet<>();
        for (Key key : APP) {
            if (key.name().startsWith(prefix)) {
                names.add(key.name().substring(prefix.length()).split("\\.")[0]);
            }
        }
        return names;
    }

    /** The environment variable that Helidon maps to this key, if one is set ({@code _dash_} is '-', '_' is '.'). */
    private static Optional<String> variableFor(String name, Map<String, String> environment) {
        return environment.keySet().stream()
                .filter(variable -> variable.toLowerCase(Locale.ROOT).replace("_dash_", "-").replace('_', '.')
                        .equals(name))
                .findFirst();
    }

    /**
     * The configuration reference: a Markdown table of every declared key, its default, its environment variable
     * and what it means.
     */
    public static String reference() {
        StringBuilder table = new StringBuilder("| Key | Default | Environment variable | Values | Meaning |\n"
                                                        + "|---|---|---|---|---|\n");
        Stream.concat(SERVER.stream(), APP.stream()).forEach(key -> table
                .append("| `").append(key.name()).append("` | ")
                .append(key.defaultValue() == null ? key.shownDefault()
                                : key.defaultValue().isEmpty() ? "none" : "`" + key.defaultValue() + "`")
                .append(" | `").append(key.environmentVariable()).append("` | ")
                .append(key.kind().name()).append(" | ")
                .append(key.description()).append(" |\n"));
        return table.toString();
    }

    private static Key key(String name, Kind kind, String defaultValue, String description) {
        return new Key(name, kind, defaultValue, null, description);
    }

    private static Key shown(String name, Kind kind, String shownDefault, String description) {
        return new Key(name, kind, null, shownDefault, description);
    }

    static Stream<Key> declared() {
        return Stream.of(ConfigKeys.class.getDeclaredFields())
                .filter(field -> field.getType() == Key.class && java.lang.reflect.Modifier.isStatic(field.getModifiers()))
                .map(field -> {
                    try {
                        return (Key) field.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }
}
