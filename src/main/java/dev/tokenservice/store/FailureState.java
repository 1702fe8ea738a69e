package dev.tokenservice.store;

import java.time.Instant;

/**
 * The consecutive failures of one key of {@link FailureCounters}, and when its current wait ends.
 *
 * @param failures     consecutive failures since the last reset
 * @param blockedUntil attempts are refused before this instant; {@link Instant#EPOCH} when there is no wait
 */
public record FailureState(int failures, Instant blockedUntil) {
    /** The state of a key with no failures. */
    public static final FailureState NONE = new FailureState(0, Instant.EPOCH);

    /**
     * Whether attempts are refused at a given time.
     *
     * @return whether the wait has not ended
     */
    public boolean blockedAt(Instant now) {
        return now.isBefore(blockedUntil);
    }
}
