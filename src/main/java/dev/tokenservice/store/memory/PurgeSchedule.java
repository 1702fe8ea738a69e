package dev.tokenservice.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When an in-memory store next removes its expired entries: at most once per interval, by exactly one of the
 * threads that ask. Checking costs one clock read and one volatile read.
 */
final class PurgeSchedule {
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong next;

    PurgeSchedule(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.next = new AtomicLong(clock.millis() + intervalMillis);
    }

    /**
     * Whether the caller should purge now; {@code true} for one caller per interval.
     *
     * @return whether a purge is due and this caller won it
     */
    boolean due() {
        long now = clock.millis();
        long planned = next.get();
        return now >= planned && next.compareAndSet(planned, now + intervalMillis);
    }
}
