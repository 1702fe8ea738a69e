package dev.tokenservice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand, so that nothing waits for real time to pass.
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    /**
     * A clock at the current time.
     */
    public TestClock() {
        this(Instant.now());
    }

    /**
     * A clock at a given time.
     *
     * @param start the time
     */
    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far
     */
    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
