package dev.tokenservice.store;

import java.time.Duration;
import java.util.function.LongConsumer;

import dev.tokenservice.events.SecurityEvents;

/**
 * What a store does with security events: reports its own transitions (unavailable, available again) to a sink,
 * and, in a database, keeps every replica's events in a table for a retention.
 *
 * @param sink      where the store's own events go
 * @param retention how long the table keeps an event
 * @param queueSize events waiting for the table's writer before further ones are counted as unwritten
 * @param unwritten told how many events could not be written to the table
 */
public record StoreEvents(SecurityEvents sink, Duration retention, int queueSize, LongConsumer unwritten) {
    /** No events: nothing reported, no table written. */
    public static final StoreEvents NONE = new StoreEvents(SecurityEvents.NONE, Duration.ZERO, 0, count -> { });

    /**
     * Whether events are kept in a table.
     *
     * @return whether the retention and the queue are positive
     */
    public boolean kept() {
        return retention.isPositive() && queueSize > 0;
    }
}
