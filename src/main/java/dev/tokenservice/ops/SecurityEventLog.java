package dev.tokenservice.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenservice.background.BackgroundWriter;
import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.store.EventTable;

import io.helidon.config.Config;

/**
 * The service's security events ({@link SecurityEvents}): each is counted ({@code security_events_total}, by type
 * and outcome), written as one JSON line on the {@code security} logger ({@code logging.properties}: to standard
 * output by {@link AccessLogHandler}, on by default; {@code security.level=OFF} switches the lines off), and, when
 * the shared store is PostgreSQL, queued for its table ({@link EventTable}).
 * <p>
 * As in {@link AccessLog}, the caller takes no lock, does no I/O and wakes no thread: the event goes into a bounded
 * lock-free queue, and one background thread formats and logs what is there every 20 ms. When the queue is full,
 * the event is dropped from the log and counted ({@code security_events_dropped_total}, and a warning at most once
 * a minute). The line is JSON-P's, with the line breakers JSON allows escaped too ({@link SecurityEvent#toJsonLine}):
 * no value can end or split it.
 */
public final class SecurityEventLog implements SecurityEvents, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger("security");
    private static final Logger OWN = Logger.getLogger(SecurityEventLog.class.getName());
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(20);
    private static final AtomicInteger WRITERS = new AtomicInteger();

    private final Clock clock;
    private final String replica;
    private final ServiceMetrics metrics;
    private final BackgroundWriter<SecurityEvent> writer;
    private volatile EventTable table;

    private SecurityEventLog(Clock clock, String replica, int capacity, ServiceMetrics metrics) {
        this.clock = clock;
        this.replica = replica;
        this.metrics = metrics;
        this.writer = new BackgroundWriter<>("security-event-writer-" + WRITERS.getAndIncrement(), capacity,
                                             capacity, WRITE_INTERVAL, WRITE_INTERVAL, SecurityEventLog::write,
                                             dropped -> OWN.log(Level.WARNING, dropped + " security events dropped"
                                                     + " from the log: it cannot keep up (app.events.queue-size "
                                                     + capacity + ")"));
    }

    /**
     * Creates the log from {@code app.events}, with its writer thread.
     *
     * @param events  the {@code app.events} node
     * @param metrics where events, and those dropped, are counted
     * @param clock   time source of the events
     * @return the log
     */
    public static SecurityEventLog create(Config events, ServiceMetrics metrics, Clock clock) {
        String replica = ConfigKeys.EVENTS_REPLICA.text(events).map(String::strip).filter(name -> !name.isEmpty())
                .orElseGet(SecurityEventLog::hostName);
        return new SecurityEventLog(clock, replica, ConfigKeys.EVENTS_QUEUE_SIZE.integer(events), metrics);
    }

    /**
     * From now on, also queues every event for the table (the shared store's, which is built after this log).
     *
     * @param table the table
     */
    public void writeTo(EventTable table) {
        this.table = table;
    }

    /**
     * The {@code replica} member of this instance's events.
     *
     * @return replica name
     */
    public String replica() {
        return replica;
    }

    @Override
    public void emit(SecurityEvent event) {
        SecurityEvent stamped = event.stamped(clock.instant(), replica);
        metrics.securityEventEmitted(stamped.type(), stamped.outcome());
        EventTable to = table;
        if (to != null) {
            to.offer(stamped);
        }
        if (LOGGER.isLoggable(Level.INFO) && !writer.offer(stamped)) {
            metrics.securityEventDropped();
        }
    }

    /** Writes what is queued to the log now, for a test that reads the lines. */
    public void flush() {
        writer.flush();
    }

    /** Writes what is queued and stops the writer thread. */
    @Override
    public void close() {
        writer.close();
    }

    private static boolean write(List<SecurityEvent> events) {
        for (SecurityEvent event : events) {
            try {
                LOGGER.log(Level.INFO, event.toJsonLine());
            } catch (RuntimeException e) {
                OWN.log(Level.WARNING, "Cannot write a security event", e);
            }
        }
        for (Handler handler : LOGGER.getHandlers()) {
            handler.flush();
        }
        return true;
    }

    /** The host name without a lookup: Kubernetes sets {@code HOSTNAME} to the pod's name. */
    private static String hostName() {
        String variable = System.getenv("HOSTNAME");
        if (variable != null && !variable.isBlank()) {
            return variable.strip();
        }
        try {
            String file = Files.readString(Path.of("/etc/hostname")).strip();
            if (!file.isEmpty()) {
                return file;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: ask the JDK
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
