package dev.tokenservice.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jakarta.json.JsonObject;

/**
 * The one rule for the service's log lines of JSON, the security events' and the access log's JSON format: times in
 * RFC 3339, UTC, to the millisecond, and JSON-P's text with the characters that could end or split a line escaped,
 * so that no value can forge a line.
 */
public final class LogLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'",
                                                                              Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private LogLine() {
    }

    /** A time as the log lines write it: {@code 2026-12-07T18:46:37.407Z}. */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** An object as one line of JSON that no value can end or split (without its line end). */
    public static String json(JsonObject object) {
        return escapeLineBreakers(object.toString());
    }

    /**
     * JSON text with the characters that JSON allows in a string but that some readers take for a line end or a
     * terminal control written as {@code \}{@code uXXXX} escapes: DEL, C1, U+2028, U+2029, unpaired surrogates.
     * Such characters appear only inside strings, where the escape means the same character.
     */
    static String escapeLineBreakers(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean escape = (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(json.charAt(i + 1));
                }
                i++;
                continue;
            }
            escape |= Character.isSurrogate(c);
            if (escape && out == null) {
                out = new StringBuilder(json.length() + 16).append(json, 0, i);
            }
            if (out != null) {
                if (escape) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? json : out.toString();
    }
}
