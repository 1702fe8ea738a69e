package dev.tokenservice.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

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
    private static final long DROP_WARNING_INTERVAL = TimeUnit.MINUTES.toNanos(1);
    private static final long WRITE_INTERVAL = TimeUnit.MILLISECONDS.toNanos(20);
    private static final AtomicInteger WRITERS = new AtomicInteger();

    private final Clock clock;
    private final String replica;
    private final int capacity;
    private final ServiceMetrics metrics;
    private final ConcurrentLinkedQueue<SecurityEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Object writing = new Object();
    private final Thread writer;
    private volatile EventTable table;
    private volatile boolean closed;

    private SecurityEventLog(Clock clock, String replica, int capacity, ServiceMetrics metrics) {
        this.clock = clock;
        this.replica = replica;
        this.capacity = capacity;
        this.metrics = metrics;
        this.writer = Thread.ofPlatform().daemon().name("security-event-writer-", WRITERS.getAndIncrement())
                .start(this::write);
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
        if (closed || !LOGGER.isLoggable(Level.INFO)) {
            return;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.increment();
            metrics.securityEventDropped();
            return;
        }
        queue.offer(stamped);
    }

    /**
     * Writes what is queued to the log now, for a test that reads the lines.
     */
    public void flush() {
        synchronized (writing) {
            writeQueued();
        }
    }

    /**
     * Writes what is queued and stops the writer thread.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        long lastWarning = System.nanoTime() - DROP_WARNING_INTERVAL;
        long warnedDrops = 0;
        while (true) {
            boolean last = closed;
            synchronized (writing) {
                writeQueued();
            }
            long drops = dropped.sum();
            if (drops > warnedDrops && System.nanoTime() - lastWarning >= DROP_WARNING_INTERVAL) {
                OWN.log(Level.WARNING, (drops - warnedDrops) + " security events dropped from the log: it cannot keep"
                        + " up (app.events.queue-size " + capacity + ")");
                warnedDrops = drops;
                lastWarning = System.nanoTime();
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(WRITE_INTERVAL);
        }
    }

    private void writeQueued() {
        boolean wrote = false;
        for (SecurityEvent event = queue.poll(); event != null; event = queue.poll()) {
            size.decrementAndGet();
            wrote = true;
            try {
                LOGGER.log(Level.INFO, event.toJsonLine());
            } catch (RuntimeException e) {
                OWN.log(Level.WARNING, "Cannot write a security event", e);
            }
        }
        if (wrote) {
            for (Handler handler : LOGGER.getHandlers()) {
                handler.flush();
            }
        }
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
