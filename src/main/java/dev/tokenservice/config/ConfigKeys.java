package dev.tokenservice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.config.Config;

/**
 * Every configuration key the service reads under {@code app}, with the kind of value it takes, in one place: start-up
 * refuses a key under {@code app} that is not listed here (a misspelled {@code generat: true} would otherwise be
 * ignored without a word) and a value of the wrong kind ({@code generate: maybe}, {@code ttl: 30m}), naming the key.
 * Also checks the {@code server} keys the service documents; Helidon owns the rest of {@code server}.
 * <p>
 * <b>A key you add under {@code app} must be registered in {@link #APP}</b>, or start-up refuses it. In a pattern,
 * {@code *} stands for one list index or one name of your choosing ({@code app.users.*.username}).
 * <p>
 * A key that only an environment variable sets is not refused but warned about: Helidon turns every variable into a
 * key ({@code APP_ENV=prod} becomes {@code app.env}), and a deployment's unrelated variables must not stop it.
 */
public final class ConfigKeys {
    /** The keys under {@code app}. Register yours here. */
    static final List<Key> APP = List.of(
            Key.of("app.token.issuer", Kind.URL),
            Key.of("app.token.audience", Kind.TEXT),
            Key.of("app.token.ttl", Kind.duration("PT30M")),
            Key.of("app.token.type", Kind.oneOf(false, "at+jwt", "JWT")),
            Key.of("app.token.cache-memory", Kind.SIZE),
            Key.of("app.token.authenticate-every-request", Kind.BOOLEAN),
            Key.of("app.keys.file", Kind.TEXT),
            Key.of("app.keys.generate", Kind.BOOLEAN),
            Key.of("app.keys.algorithm", Kind.oneOf(true, "RS256", "ES256", "HS256")),
            Key.of("app.keys.active-kid", Kind.TEXT),
            Key.of("app.keys.reload-interval", Kind.duration("PT5S")),
            Key.of("app.password.bcrypt-cost", Kind.integer(4, 31)),
            Key.of("app.password.bulkhead.limit", Kind.integer(1, 4096)),
            Key.of("app.password.bulkhead.queue-length", Kind.integer(0, 100_000)),
            Key.of("app.password.bulkhead.max-queue-wait", Kind.duration("PT0.5S")),
            Key.of("app.shutdown.drain-time", Kind.duration("PT5S")),
            Key.of("app.take-turns", Kind.BOOLEAN),
            Key.of("app.access-log.format", Kind.oneOf(true, "plain", "json")),
            Key.of("app.access-log.queue-size", Kind.integer(1, 1 << 20)),
            Key.of("app.scopes.*", Kind.TEXT),
            Key.of("app.users.*.username", Kind.TEXT),
            Key.of("app.users.*.full-name", Kind.TEXT),
            Key.of("app.users.*.email", Kind.TEXT),
            Key.of("app.users.*.password-hash", Kind.TEXT),
            Key.of("app.users.*.disabled", Kind.BOOLEAN),
            Key.of("app.users.*.demo", Kind.BOOLEAN),
            Key.of("app.users.*.scopes.*", Kind.TEXT),
            Key.of("app.users-file", Kind.TEXT),
            Key.of("app.users-reload-interval", Kind.duration("PT5S")),
            Key.of("app.default-client", Kind.TEXT),
            Key.of("app.clients.*.client-id", Kind.TEXT),
            Key.of("app.clients.*.type", Kind.oneOf(false, "public", "confidential")),
            Key.of("app.clients.*.secret-hash", Kind.TEXT),
            Key.of("app.clients.*.grant-types.*", Kind.TEXT),
            Key.of("app.clients.*.scopes.*", Kind.TEXT),
            Key.of("app.clients.*.demo", Kind.BOOLEAN),
            Key.of("app.refresh-token.idle-ttl", Kind.duration("P7D")),
            Key.of("app.refresh-token.absolute-ttl", Kind.duration("P30D")),
            Key.of("app.refresh-token.max-sessions-per-user", Kind.integer(1, Integer.MAX_VALUE)),
            Key.of("app.refresh-token.max-used-tokens-per-session", Kind.integer(1, Integer.MAX_VALUE)),
            Key.of("app.refresh-token.max-access-tokens-per-session", Kind.integer(1, Integer.MAX_VALUE)),
            Key.of("app.store.url", Kind.TEXT),
            Key.of("app.store.username", Kind.TEXT),
            Key.of("app.store.password", Kind.TEXT),
            Key.of("app.store.migrate", Kind.BOOLEAN),
            Key.of("app.store.pool-size", Kind.integer(2, 1000)),
            Key.of("app.store.connection-timeout", Kind.duration("PT2S")),
            Key.of("app.store.purge-interval", Kind.duration("PT1M")),
            Key.of("app.store.purge-batch-size", Kind.integer(1, 100_000)),
            Key.of("app.login-protection.enabled", Kind.BOOLEAN),
            Key.of("app.login-protection.threshold", Kind.integer(1, Integer.MAX_VALUE)),
            Key.of("app.login-protection.address-threshold", Kind.integer(1, Integer.MAX_VALUE)),
            Key.of("app.login-protection.initial-delay", Kind.duration("PT1S")),
            Key.of("app.login-protection.max-delay", Kind.duration("PT15M")),
            Key.of("app.login-protection.address-forget-after", Kind.duration("PT15M")),
            Key.of("app.login-protection.trusted-proxies.*", Kind.TEXT),
            Key.of("app.login-protection.forwarded-header", Kind.TEXT));

    /** The {@code server} keys whose values are checked; other {@code server} keys are Helidon's to judge. */
    static final List<Key> SERVER = List.of(
            Key.of("server.port", Kind.PORT),
            Key.of("server.host", Kind.TEXT),
            Key.of("server.max-payload-size", Kind.integer(0, Integer.MAX_VALUE)),
            Key.of("server.shutdown-grace-period", Kind.duration("PT10S")));

    private ConfigKeys() {
    }

    /**
     * Checks the configuration.
     *
     * @param root        root configuration
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
     * @return whether it is registered
     */
    public static boolean isKnown(String name) {
        return APP.stream().anyMatch(key -> key.matches(name)) || SERVER.stream().anyMatch(key -> key.matches(name));
    }

    /**
     * Checks one value as the registered key of that name, for files with settings of their own (the users file).
     *
     * @param name the key it stands for, such as {@code app.users.0.disabled}
     * @param node the value
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
     * @param root root configuration
     * @throws ConfigurationException naming the first key with a bad value
     */
    public static void checkServer(Config root) {
        for (Key key : SERVER) {
            Config node = root.get(key.pattern());
            if (node.exists()) {
                key.check(node);
            }
        }
    }

    private static boolean isValue(Config node) {
        return node.type() == Config.Type.VALUE;
    }

    private static String unknownKey(String name) {
        boolean section = APP.stream().anyMatch(key -> key.pattern().startsWith(generalize(name) + "."));
        if (section) {
            return "is a section, not a value: it holds "
                    + siblings(generalize(name) + ".").stream().collect(Collectors.joining(", "));
        }
        int dot = name.lastIndexOf('.');
        String parent = generalize(name.substring(0, dot));
        Set<String> known = siblings(parent + ".");
        if (known.isEmpty()) {
            return "not a setting of this service";
        }
        return "not a setting of this service; " + parent.replace("*", "each entry") + " has "
                + String.join(", ", known);
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
            if (key.pattern().startsWith(prefix)) {
                names.add(key.pattern().substring(prefix.length()).split("\\.")[0]);
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
     * A registered key.
     *
     * @param pattern the key, {@code *} standing for one segment
     * @param kind    the values it takes
     */
    record Key(String pattern, Kind kind) {
        static Key of(String pattern, Kind kind) {
            return new Key(pattern, kind);
        }

        boolean matches(String name) {
            String[] want = pattern.split("\\.");
            String[] have = name.split("\\.");
            if (want.length != have.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                if (!want[i].equals("*") && !want[i].equals(have[i])) {
                    return false;
                }
            }
            return true;
        }

        void check(Config node) {
            if (node.type() != Config.Type.VALUE) {
                throw new ConfigurationException(node.key().toString(), "must be a single value, not a "
                        + (node.type() == Config.Type.LIST ? "list" : "section"));
            }
            String value = node.asString().orElse("");
            String problem = kind.problem().apply(value);
            if (problem != null) {
                throw new ConfigurationException(node.key().toString(), problem);
            }
        }
    }

    /**
     * The values a key takes.
     *
     * @param problem what is wrong with a value, or {@code null} when it is fine
     */
    record Kind(Function<String, String> problem) {
        static final Kind TEXT = new Kind(value -> null);
        static final Kind BOOLEAN = new Kind(value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                ? null : quote(value) + " is not true or false");
        // Helidon's sizes: "32 MB" (MB and MiB are 1024 * 1024 bytes, mB 1000 * 1000), or bytes alone
        static final Kind SIZE = new Kind(value -> {
            try {
                io.helidon.common.Size.parse(value).toBytes();
                return null;
            } catch (RuntimeException e) {
                return quote(value) + " is not a size such as \"32 MB\" (a number, a space, then B, KB or MB)";
            }
        });
        static final Kind PORT = new Kind(value -> {
            try {
                int port = Integer.parseInt(value.strip());
                return port >= 0 && port <= 65535 ? null : quote(value) + " is not a port number from 0 to 65535";
            } catch (NumberFormatException e) {
                return quote(value) + " is not a port number from 0 to 65535";
            }
        });
        // RFC 8414 §2: the issuer is a URL with a scheme and a host, without query or fragment
        static final Kind URL = new Kind(value -> {
            String problem = quote(value) + " is not an http or https URL without query or fragment, such as"
                    + " https://auth.example.com";
            try {
                URI uri = new URI(value);
                boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
                return web && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null
                        ? null : problem;
            } catch (URISyntaxException e) {
                return problem;
            }
        });

        static Kind duration(String example) {
            return new Kind(value -> {
                try {
                    Duration.parse(value);
                    return null;
                } catch (DateTimeParseException e) {
                    return quote(value) + " is not an ISO-8601 duration such as " + example;
                }
            });
        }

        static Kind integer(int min, int max) {
            return new Kind(value -> {
                String problem = quote(value) + " is not a whole number from " + min + " to " + max;
                try {
                    int number = Integer.parseInt(value.strip());
                    return number >= min && number <= max ? null : problem;
                } catch (NumberFormatException e) {
                    return problem;
                }
            });
        }

        static Kind oneOf(boolean anyCase, String... values) {
            return new Kind(value -> List.of(values).stream()
                    .anyMatch(allowed -> anyCase ? allowed.equalsIgnoreCase(value) : allowed.equals(value))
                    ? null : quote(value) + " is not one of " + String.join(", ", values));
        }

        private static String quote(String value) {
            // the message is one line whatever the value holds
            return "\"" + value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\"";
        }
    }
}
