package dev.tokenservice.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.helidon.common.Size;
import io.helidon.config.Config;

/**
 * One configuration key, declared once ({@link ConfigKeys}): its name, the values it takes, its default and what it
 * means. The code reads it through here, so that its default lives here alone; the configuration reference is made
 * from these declarations ({@code ConfigurationReferenceTest} holds docs/configuration.md to them).
 *
 * @param name         the key; {@code *} stands for one list index or one name of the deployment's choosing
 * @param kind         the values it takes
 * @param defaultValue the value when the configuration has none, or {@code null} when there is none to read
 * @param shownDefault how the reference shows the default when it is not a value ("the number of cores")
 * @param description  what it means, for the reference (Markdown)
 */
public record Key(String name, Kind kind, String defaultValue, String shownDefault, String description) {
    /**
     * The value of this key under a section of the configuration, or the default.
     *
     * @param section the root, a section that holds this key ({@code app.token} for {@code app.token.ttl}), or for
     *                a key of list entries an entry ({@code app.users.0}, or an entry of the users file)
     * @return the value as written, or the default; empty when neither is there
     */
    public Optional<String> text(Config section) {
        return node(section).asString().asOptional().or(() -> Optional.ofNullable(defaultValue));
    }

    /**
     * The node of this key under a section, for a list or a section of values.
     *
     * @param section the root, a section that holds this key, or a list entry
     */
    public Config node(Config section) {
        // a key of a list of values, such as trusted-proxies.*, is read as the list
        String key = name.endsWith(".*") ? name.substring(0, name.length() - 2) : name;
        String prefix = section.key().toString();
        if (prefix.isEmpty()) {
            return section.get(key);
        }
        if (key.startsWith(prefix + ".")) {
            return section.get(key.substring(prefix.length() + 1));
        }
        int entry = key.lastIndexOf("*.");
        if (entry < 0) {
            throw new IllegalArgumentException(name + " is not under " + prefix);
        }
        return section.get(key.substring(entry + 2));
    }

    /**
     * The value as text.
     *
     * @param section the root or a section that holds this key
     */
    public String string(Config section) {
        return required(section);
    }

    /**
     * The value as a whole number.
     *
     * @param section the root or a section that holds this key
     */
    public int integer(Config section) {
        return Integer.parseInt(required(section).strip());
    }

    /**
     * The value as {@code true} or {@code false}.
     *
     * @param section the root or a section that holds this key
     */
    public boolean bool(Config section) {
        return Boolean.parseBoolean(required(section).strip());
    }

    /**
     * The value as a duration.
     *
     * @param section the root or a section that holds this key
     */
    public Duration duration(Config section) {
        return Duration.parse(required(section).strip());
    }

    /**
     * The value as a number of bytes.
     *
     * @param section the root or a section that holds this key
     */
    public long bytes(Config section) {
        return Size.parse(required(section)).toBytes();
    }

    /**
     * The environment variable that sets this key (Helidon's mapping: {@code _} for {@code .}, {@code _dash_} for
     * {@code -}), with {@code 0} for a list index.
     */
    public String environmentVariable() {
        return name.replace("*", "0").toUpperCase(Locale.ROOT).replace("-", "_dash_").replace('.', '_');
    }

    /**
     * Whether a key of the configuration is this one.
     *
     * @param key such as {@code app.users.0.username}
     * @return whether it matches, {@code *} standing for any one segment
     */
    public boolean matches(String key) {
        String[] want = name.split("\\.");
        String[] have = key.split("\\.");
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

    /**
     * Checks a value of this key.
     *
     * @throws ConfigurationException naming the key when the value is not of its kind
     */
    public void check(Config node) {
        if (node.type() != Config.Type.VALUE) {
            throw new ConfigurationException(node.key().toString(), "must be a single value, not a "
                    + (node.type() == Config.Type.LIST ? "list" : "section"));
        }
        String problem = kind.problem().apply(node.asString().orElse(""));
        if (problem != null) {
            String example = defaultValue == null || defaultValue.isEmpty() ? "PT5S" : defaultValue;
            throw new ConfigurationException(node.key().toString(), problem.replace(Kind.EXAMPLE, example));
        }
    }

    private String required(Config section) {
        return text(section).orElseThrow(() -> new IllegalStateException(name + " has no value and no default"));
    }
}
