package dev.tokenservice.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.tokenservice.events.SecurityEvent;

/**
 * The security events of every replica in the shared store's database, so that one query sees them all. Written off
 * the request path: {@link #offer} only queues, a writer thread inserts in batches, and an event that could not be
 * written (the database unavailable, the queue full) is counted, never waited for. Purged after a retention with the
 * rest of the store.
 */
public interface EventTable extends AutoCloseable {
    /**
     * Queues an event for the table; returns at once.
     *
     * @param event the event, with its time and replica
     */
    void offer(SecurityEvent event);

    /**
     * The events that match, the newest {@code limit} of them, oldest first.
     *
     * @param query filters
     * @return events in time order
     * @throws StoreUnavailableException when the database cannot be read
     */
    List<SecurityEvent> read(Query query);

    /**
     * Writes what is queued, for a stop or a test.
     */
    void flush();

    @Override
    void close();

    /**
     * What the events command asks for; an empty filter matches every event.
     *
     * @param username  exactly this {@code username}
     * @param clientId  exactly this {@code client_id}
     * @param type      this {@code type}, or a type under it ({@code key} matches {@code key.added})
     * @param address   exactly this {@code address}
     * @param since     events at or after this time
     * @param limit     the most events returned: the newest ones
     */
    record Query(Optional<String> username, Optional<String> clientId, Optional<String> type,
                 Optional<String> address, Instant since, int limit) {
    }
}
