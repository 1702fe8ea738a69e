package dev.tokenservice.background;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * A bounded queue that one background thread drains, so that whoever offers an item (a request) takes no lock, does
 * no I/O and wakes no thread: the writer is woken by the clock every interval, not by each item (a wake-up per
 * request costs each request a system call), and hands what is queued to its sink in order, in batches. A full or
 * closed queue refuses an item and counts it, and the writer reports the refusals at most once a minute. A sink that
 * fails a batch keeps the rest queued, and the writer tries again after a pause. Closing writes what is left.
 * <p>
 * The access log, the security event log and the security event table each write through one.
 *
 * @param <T> what is queued
 */
public final class BackgroundWriter<T> implements AutoCloseable {
    private static final long REPORT_INTERVAL = TimeUnit.MINUTES.toNanos(1);

    /** Where the batches go. */
    @FunctionalInterface
    public interface Sink<T> {
        /** Writes a batch; {@code false} when it could not, so that the writer pauses before the next. */
        boolean write(List<T> batch);
    }

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final int capacity;
    private final int batchSize;
    private final long intervalNanos;
    private final long pauseAfterFailureNanos;
    private final Sink<T> sink;
    private final LongConsumer reportRefused;
    private final Object writing = new Object();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the writer thread.
     *
     * @param capacity          items queued at most; more are refused
     * @param batchSize         items handed to the sink at once, at most
     * @param interval          how often the writer wakes: items reach the sink at most this late
     * @param pauseAfterFailure how long the writer waits after a failed batch
     * @param reportRefused     told, at most once a minute, how many items were refused since it was last told
     */
    public BackgroundWriter(String threadName, int capacity, int batchSize, Duration interval,
                            Duration pauseAfterFailure, Sink<T> sink, LongConsumer reportRefused) {
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.intervalNanos = interval.toNanos();
        this.pauseAfterFailureNanos = pauseAfterFailure.toNanos();
        this.sink = sink;
        this.reportRefused = reportRefused;
        this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
    }

    /** Queues an item; {@code false}, and counted, when the queue is full or closed. */
    public boolean offer(T item) {
        if (closed) {
            refused.increment();
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            refused.increment();
            return false;
        }
        queue.offer(item);
        return true;
    }

    /** Items refused so far. */
    public long refused() {
        return refused.sum();
    }

    /** The name of the writer thread, the one thread that calls the sink (but for {@link #flush}). */
    public String threadName() {
        return thread.getName();
    }

    /** Writes what is queued now, on the caller's thread (for tests that read what was written). */
    public void flush() {
        synchronized (writing) {
            drain();
        }
    }

    /** Writes what is left and stops the writer thread. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long lastReport = System.nanoTime() - REPORT_INTERVAL;
        long reported = 0;
        while (true) {
            boolean last = closed;
            boolean written;
            synchronized (writing) {
                written = drain();
            }
            long refusals = refused.sum();
            if (refusals > reported && System.nanoTime() - lastReport >= REPORT_INTERVAL) {
                reportRefused.accept(refusals - reported);
                reported = refusals;
                lastReport = System.nanoTime();
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(written ? intervalNanos : pauseAfterFailureNanos);
        }
    }

    /** Hands what is queued to the sink; {@code false} when it failed a batch (the rest stays queued). */
    private boolean drain() {
        while (true) {
            List<T> batch = new ArrayList<>();
            for (T item = queue.poll(); item != null; item = batch.size() < batchSize ? queue.poll() : null) {
                size.decrementAndGet();
                batch.add(item);
            }
            if (batch.isEmpty()) {
                return true;
            }
            if (!sink.write(batch)) {
                return false;
            }
        }
    }
}
