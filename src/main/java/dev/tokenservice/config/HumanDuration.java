package dev.tokenservice.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A duration as a person writes it ({@code 30 min 5 s}, {@code 7 d}), for messages; configuration keeps ISO-8601. */
public final class HumanDuration {
    private HumanDuration() {
    }

    /**
     * Formats a duration, dropping zero parts; below a second it shows milliseconds.
     *
     * @return text such as {@code 1 h 30 min} or {@code 0 s}
     */
    public static String of(Duration duration) {
        if (duration.isNegative()) {
            return "-" + of(duration.negated());
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 && !duration.isZero()) {
            return duration.toMillis() + " ms";
        }
        List<String> parts = new ArrayList<>();
        add(parts, duration.toDaysPart(), "d");
        add(parts, duration.toHoursPart(), "h");
        add(parts, duration.toMinutesPart(), "min");
        add(parts, duration.toSecondsPart(), "s");
        return parts.isEmpty() ? "0 s" : String.join(" ", parts);
    }

    private static void add(List<String> parts, long value, String unit) {
        if (value != 0) {
            parts.add(value + " " + unit);
        }
    }
}
