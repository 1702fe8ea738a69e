package dev.tokenservice.resource;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;

/**
 * Refused requests to protected routes as security events, aggregated: per client address and reason at most one
 * event a {@link #WINDOW}, whose {@code count} is the refusals since the previous event of that address and reason.
 * The first refusal of an address and reason is reported at once; the ones after it within the window are counted
 * and reported by the first refusal after the window, or by the sweep that a refusal runs at most once a window
 * (which also forgets the addresses that went quiet). So a scan shows up as a few lines a minute, never one a
 * request. At most {@value #MAX_ADDRESSES} address and reason pairs are tracked; beyond, refusals are counted under
 * the address {@code *}.
 */
public final class BearerRefusals {
    /** The shortest time between two events of one address and reason. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private final SecurityEvents events;
    private final Clock clock;
    private final long windowMillis;
    private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    /**
     * Creates the aggregation.
     *
     * @param events where the events go
     * @param clock  time source of the windows
     */
    public BearerRefusals(SecurityEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
        this.windowMillis = WINDOW.toMillis();
        this.nextSweep = new AtomicLong(clock.millis() + windowMillis);
    }

    /**
     * Counts a refusal, and reports it when its address and reason have no event in the current window.
     *
     * @param address client address
     * @param reason  why the request was refused
     */
    public void refused(String address, String reason) {
        long now = clock.millis();
        Key key = new Key(windows.size() >= MAX_ADDRESSES && !windows.containsKey(new Key(address, reason))
                                  ? "*" : address, reason);
        long[] report = new long[1];
        windows.compute(key, (k, window) -> {
            if (window == null || now - window.started >= windowMillis) {
                report[0] = (window == null ? 0 : window.pending) + 1;
                return new Window(now);
            }
            window.pending++;
            return window;
        });
        if (report[0] > 0) {
            emit(key, report[0]);
        }
        long planned = nextSweep.get();
        if (now >= planned && nextSweep.compareAndSet(planned, now + windowMillis)) {
            sweep(now);
        }
    }

    /** Reports what ended windows counted, and forgets the pairs whose window ended. */
    private void sweep(long now) {
        for (Key key : windows.keySet()) {
            long[] report = new long[1];
            windows.computeIfPresent(key, (k, window) -> {
                if (now - window.started < windowMillis) {
                    return window;
                }
                report[0] = window.pending;
                return null;
            });
            if (report[0] > 0) {
                emit(key, report[0]);
            }
        }
    }

    private void emit(Key key, long count) {
        events.emit(SecurityEvent.failure(EventTypes.BEARER_REFUSED, key.reason()).address(key.address()).count(count)
                            .build());
    }

    private record Key(String address, String reason) {
    }

    /** One window of one pair; changed only inside the map's compute of its key. */
    private static final class Window {
        private final long started;
        private long pending;

        private Window(long started) {
            this.started = started;
        }
    }
}
