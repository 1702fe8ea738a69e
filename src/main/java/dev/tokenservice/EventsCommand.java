package dev.tokenservice;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.ops.AccessLog;
import dev.tokenservice.store.EventTable;
import dev.tokenservice.store.StoreUnavailableException;

/**
 * {@code bin/token-service events [filters] [--json]}: the security events of every replica, read from the shared
 * store's table (PostgreSQL) with the store settings of the configuration; oldest first, the newest {@code --limit}
 * of those that match. A readable table by default, whose values are escaped as the access log's fields are (no
 * event can drive the terminal); JSON lines of the documented schema with {@code --json}.
 */
public final class EventsCommand {
    /** The events of the last this long, unless {@code --since} says otherwise. */
    static final Duration DEFAULT_SINCE = Duration.ofHours(24);
    /** The most events, unless {@code --limit} says otherwise. */
    static final int DEFAULT_LIMIT = 100;
    static final String USAGE = """
            usage: events [--user NAME] [--client ID] [--type TYPE] [--address ADDRESS] [--since DURATION]
                          [--limit N] [--json]""";

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int WIDEST = 40;

    private static final Logger POOL_LOG = Logger.getLogger("com.zaxxer.hikari");

    private final Supplier<EventTable> table;
    private final Clock clock;

    /**
     * Creates the command.
     *
     * @param table opens the table; {@code null} when no store is configured
     * @param clock time source of {@code --since}
     */
    public EventsCommand(Supplier<EventTable> table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /**
     * What the command does, its options and examples.
     *
     * @param program how the user runs this program
     * @return help text
     */
    public static String help(String program) {
        return """
                Usage: %1$s events [--user NAME] [--client ID] [--type TYPE] [--address ADDRESS]
                                   [--since DURATION] [--limit N] [--json]

                Prints the security events of every replica (logins, failed logins, throttling, client
                authentication failures, refreshes, reuse, revocations, reloads, keys, the store, refused bearer
                tokens), read from the PostgreSQL store of app.store (the same settings as the service: an
                application.yaml in this folder, APP_STORE_URL, ...). Oldest first: the newest N that match.
                Without a PostgreSQL store the events are only in the log (JSON lines of the 'security' logger).

                Options:
                  --user NAME        events of this username (also attempted names of failed logins)
                  --client ID        events of this client id
                  --type TYPE        this type, or the types under it: login, client.auth, client_credentials,
                                     refresh, revocation, users.reload, keys.reload, key (key.added, key.retired),
                                     store, bearer.refused
                  --address ADDRESS  events from this client address
                  --since DURATION   events of the last DURATION: 90s, 30m, 2h, 7d or ISO-8601 (PT2H)
                                     (default 24h)
                  --limit N          at most N events, the newest (default %2$d)
                  --json             one JSON object a line, the schema of docs/operating.md, instead of a table
                  --help, -h         this text

                Examples:
                  %1$s events --user alice --since 2h
                  %1$s events --type revocation --json
                """.formatted(program, DEFAULT_LIMIT);
    }

    /**
     * Runs the command.
     *
     * @param args arguments after {@code events}
     * @param out  standard output
     * @param err  standard error
     * @return exit status: 0, 1 when the store cannot be read, 2 for a usage error or no store
     */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        EventTable.Query query;
        boolean json;
        try {
            List<String> rest = new ArrayList<>(args);
            json = rest.remove("--json");
            Optional<String> user = option(rest, "--user");
            Optional<String> client = option(rest, "--client");
            Optional<String> type = option(rest, "--type");
            Optional<String> address = option(rest, "--address");
            Duration since = option(rest, "--since").map(EventsCommand::duration).orElse(DEFAULT_SINCE);
            int limit = option(rest, "--limit").map(EventsCommand::limit).orElse(DEFAULT_LIMIT);
            if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected arguments " + rest);
            }
            query = new EventTable.Query(user, client, type, address, clock.instant().minus(since), limit);
        } catch (IllegalArgumentException e) {
            err.println("events: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (table == null) {
            err.println("events: no store is configured: the events are kept in a table only with a PostgreSQL"
                                + " store (app.store.url, APP_STORE_URL); without one they are only in the log,"
                                + " as JSON lines of the 'security' logger");
            return 2;
        }
        // the connection pool's start and stop lines belong in the service's log, not in this command's output
        POOL_LOG.setLevel(Level.WARNING);
        List<SecurityEvent> events;
        try (EventTable opened = table.get()) {
            events = opened.read(query);
        } catch (StoreUnavailableException e) {
            err.println("events: " + e.getMessage() + (e.getCause() == null ? ""
                    : " (" + Main.oneLine(e.getCause().getMessage()) + ")"));
            return 1;
        }
        if (json) {
            events.forEach(event -> out.println(event.toJsonLine()));
        } else {
            out.print(table(events));
        }
        return 0;
    }

    /**
     * Events as a table: one line each, columns as wide as their widest value (cut at {@value #WIDEST}), values
     * escaped.
     *
     * @param events events
     * @return text
     */
    static String table(List<SecurityEvent> events) {
        if (events.isEmpty()) {
            return "No events match.\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TIME (UTC)", "TYPE", "OUTCOME", "REASON", "USER", "CLIENT", "ADDRESS", "REPLICA",
                               "DETAILS"});
        for (SecurityEvent event : events) {
            List<String> details = new ArrayList<>();
            detail(details, "session", event.sessionId());
            detail(details, "jti", event.jti());
            detail(details, "key", event.keyId());
            detail(details, "count", event.count() == null ? null : event.count().toString());
            detail(details, "retry_after", event.retryAfter() == null ? null : event.retryAfter() + "s");
            if (event.detail() != null) {
                details.add(AccessLog.escapeField(event.detail()));
            }
            rows.add(new String[] {TIME.format(event.time()), cell(event.type()), cell(event.outcome()),
                                   cell(event.reason()), cell(event.username()), cell(event.clientId()),
                                   cell(event.address()), cell(event.replica()), String.join(" ", details)});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static void detail(List<String> details, String name, String value) {
        if (value != null) {
            details.add(name + "=" + AccessLog.escapeField(value));
        }
    }

    private static String cell(String value) {
        if (value == null) {
            return "-";
        }
        String escaped = AccessLog.escapeField(value);
        return escaped.length() <= WIDEST ? escaped : escaped.substring(0, WIDEST - 1) + "…";
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(Math.max(0, width - value.length()));
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}, or ISO-8601. */
    static Duration duration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        try {
            Duration duration;
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
                };
            } else {
                duration = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--since must be positive, not " + text);
            }
            return duration;
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("--since takes a duration such as 90s, 30m, 2h, 7d or PT2H, not '"
                                                       + text + "'");
        }
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit < 1 || limit > 100_000) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--limit takes a whole number from 1 to 100000, not '" + text + "'");
        }
    }

    private static Optional<String> option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(name + "=")) {
                return Optional.of(args.remove(i).substring(name.length() + 1));
            }
        }
        int index = args.indexOf(name);
        if (index < 0) {
            return Optional.empty();
        }
        if (index == args.size() - 1) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        args.remove(index);
        return Optional.of(args.remove(index));
    }
}
