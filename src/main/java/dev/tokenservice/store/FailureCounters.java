package dev.tokenservice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;

/**
 * Consecutive-failure counters of login protection (RFC 6749 §4.3.2: the password grant must be protected against
 * brute force), shared by every replica when the store is shared. A key is an opaque string that the caller
 * chooses, for example {@code user:<username>}, {@code addr:<ip>} or {@code client:<id>}; callers keep keys short
 * (at most {@value #MAX_KEY_LENGTH} characters).
 * <p>
 * Implementations are bounded: attacker-chosen keys cannot grow them without limit, and a key untouched for longer
 * than the longest wait is forgotten.
 */
public interface FailureCounters {
    /** The longest key a caller may use. */
    int MAX_KEY_LENGTH = 256;

    /**
     * The state of a key.
     *
     * @return its consecutive failures and the end of its wait; {@link FailureState#NONE} when unknown
     */
    FailureState get(String key);

    /**
     * Counts one more failure for a key and sets its wait to end at {@code now + delay(failures)}, in one atomic
     * step (one transaction in a database).
     *
     * @param delay the wait after the given number of consecutive failures ({@link Duration#ZERO} for none)
     */
    FailureState recordFailure(String key, Instant now, IntFunction<Duration> delay);

    /** Forgets a key: a successful login. */
    void reset(String key);
}
