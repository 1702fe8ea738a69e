package dev.tokenservice.ops;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenservice.background.BackgroundWriter;
import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.events.LogLine;
import dev.tokenservice.token.AccessTokenClaims;

import io.helidon.config.Config;
import io.helidon.security.SecurityContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import jakarta.json.Json;

/**
 * One line per request on the {@code access} logger: time (UTC, milliseconds), client address, authenticated
 * subject, method and path, status, duration. The query string and every header are left out, so no password,
 * token or {@code Authorization} value can reach the log. {@code app.access-log.format} is {@code plain} or
 * {@code json}.
 * <p>
 * Nobody can forge a line: in the plain format every field has its control characters (NUL, ESC, CR, LF, DEL, the
 * C1 range, U+2028/2029), quotes and backslashes escaped, and spaces too in the unquoted fields, so a {@code %0a}
 * in a URL stays inside its line; the JSON format is written by JSON-P, valid JSON for any input.
 * <p>
 * The request thread takes no lock, does no I/O and wakes no thread: it queues the request's facts (bounded, lock
 * free) for one writer thread. When the queue is full the line is dropped and counted rather than making requests
 * wait.
 * <p>
 * Written by hand: Helidon's access log module is not published for 4.3.0 in the registry this project builds from.
 */
public final class AccessLog implements Filter, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger("access");
    private static final Logger OWN = Logger.getLogger(AccessLog.class.getName());
    /** How often the writer writes what is queued: lines reach the log at most this late. */
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(20);
    private static final AtomicInteger WRITERS = new AtomicInteger();

    private final boolean json;
    private final Runnable onDrop;
    private final BackgroundWriter<Entry> writer;

    private AccessLog(boolean json, int capacity, Runnable onDrop) {
        this.json = json;
        this.onDrop = onDrop;
        this.writer = new BackgroundWriter<>("access-log-writer-" + WRITERS.getAndIncrement(), capacity, capacity,
                                             WRITE_INTERVAL, WRITE_INTERVAL, this::write,
                                             dropped -> OWN.log(Level.WARNING, dropped + " access log lines dropped:"
                                                     + " the log cannot keep up (app.access-log.queue-size "
                                                     + capacity + ")"));
    }

    /** The filter for the {@code app.access-log} node, with its writer thread; {@code onDrop} runs per dropped line. */
    public static AccessLog create(Config config, Runnable onDrop) {
        String format = ConfigKeys.ACCESS_LOG_FORMAT.string(config).toLowerCase(Locale.ROOT);
        if (!format.equals("plain") && !format.equals("json")) {
            throw new IllegalStateException("app.access-log.format must be plain or json, not " + format);
        }
        int capacity = ConfigKeys.ACCESS_LOG_QUEUE_SIZE.integer(config);
        if (capacity < 1) {
            throw new IllegalStateException("app.access-log.queue-size must be at least 1, not " + capacity);
        }
        return new AccessLog(format.equals("json"), capacity, onDrop);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long epochMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            if (LOGGER.isLoggable(Level.INFO)) {
                offer(new Entry(epochMillis, System.nanoTime() - startNanos, client(req.remotePeer().address()),
                                subject(req), req.prologue().method().text(), req.prologue().uriPath().path(),
                                res.status().code()));
            }
        }
    }

    /** Lines dropped so far because the queue was full. */
    public long dropped() {
        return writer.refused();
    }

    /** Writes what is queued and stops the writer thread. */
    @Override
    public void close() {
        writer.close();
    }

    /** The name of the writer thread, which publishes every line of this log. */
    String writerName() {
        return writer.threadName();
    }

    void offer(Entry entry) {
        if (!writer.offer(entry)) {
            onDrop.run();
        }
    }

    private boolean write(List<Entry> entries) {
        for (Entry entry : entries) {
            try {
                LOGGER.log(Level.INFO, json ? jsonLine(entry) : plainLine(entry));
            } catch (RuntimeException e) {
                OWN.log(Level.WARNING, "Cannot write an access log line", e);
            }
        }
        for (Handler handler : LOGGER.getHandlers()) {
            handler.flush();
        }
        return true;
    }

    private static String subject(RoutingRequest req) {
        return req.context().get(SecurityContext.class)
                .filter(SecurityContext::isAuthenticated)
                .flatMap(SecurityContext::user)
                .flatMap(user -> user.publicCredential(AccessTokenClaims.class)) // a client's token: client:<id>
                .map(AccessTokenClaims::caller)
                .orElse("-");
    }

    private static String client(SocketAddress address) {
        if (address instanceof InetSocketAddress socket && socket.getAddress() != null) {
            InetAddress ip = socket.getAddress();
            return ip.getAddress().length == 16 ? Ipv6.compact(ip.getHostAddress()) : ip.getHostAddress();
        }
        return String.valueOf(address);
    }

    static String plainLine(Entry entry) {
        return LogLine.time(Instant.ofEpochMilli(entry.epochMillis())) + " " + Escape.field(entry.client()) + " "
                + Escape.field(entry.subject()) + " \"" + Escape.quoted(entry.method()) + " "
                + Escape.quoted(entry.path()) + "\" " + entry.status() + " " + duration(entry) + "ms";
    }

    static String jsonLine(Entry entry) {
        return LogLine.json(Json.createObjectBuilder()
                .add("time", LogLine.time(Instant.ofEpochMilli(entry.epochMillis())))
                .add("client", entry.client())
                .add("subject", entry.subject())
                .add("method", entry.method())
                .add("path", entry.path())
                .add("status", entry.status())
                .add("duration_ms", Double.parseDouble(duration(entry)))
                .build());
    }

    /**
     * A value as the plain format writes a field: control characters, quotes, backslashes and spaces escaped, so
     * that it can neither end its line nor drive a terminal. For other text meant for a terminal or a line-based
     * log (the events command's table).
     *
     * @param value any text
     * @return the escaped text, {@code ""} written as two quotes
     */
    public static String escapeField(String value) {
        return Escape.field(value);
    }

    /** Milliseconds with one decimal, rounded half up (String.format costs a microsecond a line). */
    static String duration(Entry entry) {
        long tenths = (entry.nanos() + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }

    /** What one request leaves for its line (subject {@code -} when none; the decoded path); formatted later. */

    record Entry(long epochMillis, long nanos, String client, String subject, String method, String path,
                 int status) {
    }

    /** Escapes for the plain format, so that a field can neither end its line nor its quotes. */
    static final class Escape {
        private Escape() {
        }

        /** A field inside quotes: quotes, backslashes and control characters escaped. */
        static String quoted(String value) {
            return escape(value, false);
        }

        /** A field between spaces: also spaces escaped, so that the fields stay countable. */
        static String field(String value) {
            return value.isEmpty() ? "\"\"" : escape(value, true);
        }

        private static String escape(String value, boolean space) {
            StringBuilder out = null;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                String replacement = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case ' ' -> space ? "\\x20" : null;
                default -> c < 0x20 || (c >= 0x7f && c <= 0x9f) ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                        : c == '\u2028' || c == '\u2029' ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null;
                };
                if (replacement != null && out == null) {
                    out = new StringBuilder(value.length() + 16).append(value, 0, i);
                }
                if (out != null) {
                    if (replacement == null) {
                        out.append(c);
                    } else {
                        out.append(replacement);
                    }
                }
            }
            return out == null ? value : out.toString();
        }
    }

    /** RFC 5952 text of an IPv6 address ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}); the JDK writes the long form. */
    static final class Ipv6 {
        private Ipv6() {
        }

        static String compact(String address) {
            int percent = address.indexOf('%');
            String scope = percent < 0 ? "" : address.substring(percent);
            String[] groups = (percent < 0 ? address : address.substring(0, percent)).split(":", -1);
            if (groups.length != 8) {
                return address;
            }
            for (int i = 0; i < 8; i++) {
                groups[i] = Integer.toHexString(Integer.parseInt(groups[i], 16));
            }
            // the longest run of two or more zero groups, the first one when two are as long (RFC 5952 §4.2)
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; i++) {
                int length = 0;
                while (i + length < 8 && groups[i + length].equals("0")) {
                    length++;
                }
                if (length > bestLength) {
                    bestStart = i;
                    bestLength = length;
                }
                i += length;
            }
            if (bestStart < 0) {
                return String.join(":", groups) + scope;
            }
            String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
            String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
            return head + "::" + tail + scope;
        }
    }
}
