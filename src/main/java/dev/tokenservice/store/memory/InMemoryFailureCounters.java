package dev.tokenservice.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.FailureState;

/**
 * Failure counters in a {@link ConcurrentHashMap}, for one process. Each change of a key runs inside
 * {@link ConcurrentHashMap#compute} on it, so concurrent failures of one key are all counted. Bounded: a key whose
 * wait has ended and that has seen no failure for {@code retention} is purged (at most once a minute), and when
 * the map is full the keys that are not waiting are dropped first.
 */
public final class InMemoryFailureCounters implements FailureCounters {
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration retention;
    private final int maxEntries;
    private final PurgeSchedule purge;

    /**
     * Creates the counters.
     *
     * @param retention  how long a key is kept after its last failure once its wait has ended
     */
    public InMemoryFailureCounters(Clock clock, Duration retention, int maxEntries) {
        this.clock = clock;
        this.retention = retention;
        this.maxEntries = maxEntries;
        this.purge = new PurgeSchedule(clock, PURGE_INTERVAL);
    }

    @Override
    public FailureState get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? FailureState.NONE : entry.state();
    }

    @Override
    public FailureState recordFailure(String key, Instant now, IntFunction<Duration> delay) {
        if (purge.due() || entries.size() >= maxEntries) {
            purge(now, entries.size() >= maxEntries);
        }
        Instant cutoff = now.minus(retention);
        Entry entry = entries.compute(key, (k, old) -> {
            // a key quiet for longer than the retention starts again, whether or not a purge has run
            boolean forgotten = old == null || !old.state().blockedAt(now) && old.lastFailure().isBefore(cutoff);
            int failures = forgotten ? 1 : old.state().failures() + 1;
            return new Entry(new FailureState(failures, now.plus(delay.apply(failures))), now);
        });
        return entry.state();
    }

    @Override
    public void reset(String key) {
        entries.remove(key);
    }

    /** Removes the keys whose wait has ended and that have seen no failure for the retention. */
    public void purgeExpired() {
        purge(clock.instant(), false);
    }

    /** The number of keys held. */
    public int size() {
        return entries.size();
    }

    private void purge(Instant now, boolean full) {
        Instant cutoff = now.minus(retention);
        entries.values().removeIf(entry -> !entry.state().blockedAt(now)
                && (full || entry.lastFailure().isBefore(cutoff)));
    }

    private record Entry(FailureState state, Instant lastFailure) {
    }
}
