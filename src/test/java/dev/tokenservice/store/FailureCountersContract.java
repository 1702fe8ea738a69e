package dev.tokenservice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import dev.tokenservice.TestClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * What every {@link FailureCounters} must do, run against each implementation by a subclass.
 */
public abstract class FailureCountersContract {
    protected static final Duration RETENTION = Duration.ofHours(1);
    /** One second per failure after the third. */
    protected static final IntFunction<Duration> DELAY = failures -> Duration.ofSeconds(Math.max(0, failures - 3));

    protected final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    protected Subject subject;

    /**
     * Counters under test on {@link #clock}, with {@link #RETENTION}.
     */
    public interface Subject extends AutoCloseable {
        FailureCounters counters();

        void purge();

        @Override
        void close();
    }

    protected abstract Subject open();

    @BeforeEach
    protected void openSubject() {
        subject = open();
    }

    @AfterEach
    protected void closeSubject() {
        subject.close();
    }

    @Test
    void anUnknownKeyHasNoFailures() {
        assertThat(subject.counters().get("user:nobody"), is(FailureState.NONE));
    }

    @Test
    void failuresCountAndSetTheWaitFromTheDelay() {
        FailureCounters counters = subject.counters();
        Instant now = clock.instant();
        for (int i = 1; i <= 3; i++) {
            assertThat(counters.recordFailure("user:alice", now, DELAY), is(new FailureState(i, now)));
        }
        FailureState fourth = counters.recordFailure("user:alice", now, DELAY);
        assertThat(fourth, is(new FailureState(4, now.plusSeconds(1))));
        assertThat(fourth.blockedAt(now), is(true));
        assertThat(counters.get("user:alice"), is(fourth));
        assertThat(counters.get("user:bob"), is(FailureState.NONE));
    }

    @Test
    void resetForgetsTheKey() {
        subject.counters().recordFailure("addr:10.0.0.1", clock.instant(), DELAY);
        subject.counters().reset("addr:10.0.0.1");
        assertThat(subject.counters().get("addr:10.0.0.1"), is(FailureState.NONE));
        subject.counters().reset("addr:never-seen");
    }

    @Test
    void concurrentFailuresOfOneKeyAreAllCounted() throws Exception {
        int threads = 8;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        subject.counters().recordFailure("user:alice", clock.instant(), DELAY);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(subject.counters().get("user:alice").failures(), is(threads * each));
    }

    @Test
    void aKeyIsForgottenOnceItsWaitHasEndedAndItsLastFailureIsOlderThanTheRetention() {
        Instant now = clock.instant();
        subject.counters().recordFailure("user:old", now, failures -> Duration.ofHours(2));
        subject.counters().recordFailure("user:quiet", now, DELAY);
        subject.counters().recordFailure("user:quiet", now, DELAY);
        clock.advance(RETENTION.plusSeconds(1));
        // quiet for longer than the retention: counting starts again, purged or not
        assertThat(subject.counters().recordFailure("user:quiet", clock.instant(), DELAY).failures(), is(1));
        subject.purge();
        // still waiting: kept
        assertThat(subject.counters().get("user:old").failures(), is(1));
        clock.advance(Duration.ofHours(1));
        subject.purge();
        assertThat(subject.counters().get("user:old"), is(FailureState.NONE));
        assertThat(subject.counters().get("user:quiet").failures(), is(1));
    }
}
