package dev.tokenservice;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.hamcrest.Matcher;

import static org.hamcrest.MatcherAssert.assertThat;

/**
 * Waits for an asynchronous effect (a reloaded file, a revocation heard by another instance, a log line written
 * after its answer): checks it every few milliseconds until it holds, and fails with the check's last assertion
 * error when it still does not hold at the timeout. A check that throws anything other than an
 * {@link AssertionError} fails at once.
 */
public final class Eventually {
    /** How long {@link #eventually(Check)} waits at most. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofMillis(10);

    private Eventually() {
    }

    /**
     * Assertions to run again until they pass.
     */
    @FunctionalInterface
    public interface Check {
        /**
         * Runs the assertions.
         *
         * @throws Exception anything but an {@link AssertionError} fails at once
         */
        void run() throws Exception;
    }

    /**
     * Waits up to {@link #TIMEOUT} until the assertions pass.
     *
     * @param check the assertions
     */
    public static void eventually(Check check) {
        eventually(TIMEOUT, check);
    }

    /**
     * Waits until the assertions pass.
     *
     * @param timeout how long at most
     * @param check   the assertions
     */
    public static void eventually(Duration timeout, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("still failing after " + timeout + ": " + e.getMessage(), e);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(STEP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }

    /**
     * Waits up to {@link #TIMEOUT} until a value matches.
     *
     * @param value   reads the value
     * @param matcher what it must match
     * @param <T>     the value's type
     * @return the value that matched
     */
    public static <T> T eventually(Supplier<T> value, Matcher<? super T> matcher) {
        return eventually(TIMEOUT, value, matcher);
    }

    /**
     * Waits until a value matches.
     *
     * @param timeout how long at most
     * @param value   reads the value
     * @param matcher what it must match
     * @param <T>     the value's type
     * @return the value that matched
     */
    public static <T> T eventually(Duration timeout, Supplier<T> value, Matcher<? super T> matcher) {
        AtomicReference<T> matched = new AtomicReference<>();
        eventually(timeout, () -> {
            T current = value.get();
            assertThat(current, matcher);
            matched.set(current);
        });
        return matched.get();
    }
}
