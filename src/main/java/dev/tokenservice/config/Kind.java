package dev.tokenservice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

import io.helidon.common.Size;

/**
 * The values a configuration key takes, and how one is described in the reference.
 *
 * @param name    what the reference calls it ("duration", "whole number from 1 to 100")
 * @param problem what is wrong with a value, or {@code null} when it is fine
 */
public record Kind(String name, Function<String, String> problem) {
    /** Where a message shows an example value: the key's default when it has one. */
    static final String EXAMPLE = "<example>";

    /** Any text. */
    public static final Kind TEXT = new Kind("text", value -> null);
    /** {@code true} or {@code false}, in any case. */
    public static final Kind BOOLEAN = new Kind("true or false", value -> value.equalsIgnoreCase("true")
            || value.equalsIgnoreCase("false") ? null : quote(value) + " is not true or false");
    /** Helidon's sizes: {@code 24 MB} (MB and MiB are 1024 * 1024 bytes, mB 1000 * 1000), or bytes alone. */
    public static final Kind SIZE = new Kind("size", value -> {
        try {
            Size.parse(value).toBytes();
            return null;
        } catch (RuntimeException e) {
            return quote(value) + " is not a size such as \"24 MB\" (a number, a space, then B, KB or MB)";
        }
    });
    /** A port number. */
    public static final Kind PORT = range("port number", 0, 65535);
    /** RFC 8414 §2: an http(s) URL with a host, without query or fragment. */
    public static final Kind URL = new Kind("http(s) URL", value -> {
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
    /** An ISO-8601 duration ({@code PT30M}). */
    public static final Kind DURATION = new Kind("ISO-8601 duration", value -> {
        try {
            Duration.parse(value);
            return null;
        } catch (DateTimeParseException e) {
            return quote(value) + " is not an ISO-8601 duration such as " + EXAMPLE;
        }
    });

    /** A whole number in a range. */
    public static Kind integer(int min, int max) {
        return range("whole number", min, max);
    }

    private static Kind range(String what, int min, int max) {
        String name = what + " from " + min + " to " + max;
        return new Kind(name, value -> {
            try {
                int number = Integer.parseInt(value.strip());
                return number >= min && number <= max ? null : quote(value) + " is not a " + name;
            } catch (NumberFormatException e) {
                return quote(value) + " is not a " + name;
            }
        });
    }

    /**
     * One of some values.
     *
     * @param anyCase whether the case of a value does not matter
     */
    public static Kind oneOf(boolean anyCase, String... values) {
        return new Kind("one of " + String.join(", ", values), value -> List.of(values).stream()
                .anyMatch(allowed -> anyCase ? allowed.equalsIgnoreCase(value) : allowed.equals(value))
                ? null : quote(value) + " is not one of " + String.join(", ", values));
    }

    static String quote(String value) {
        // the message is one line whatever the value holds
        return "\"" + value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
