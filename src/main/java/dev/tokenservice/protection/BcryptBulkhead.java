package dev.tokenservice.protection;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.users.HashCheckRunner;

import io.helidon.config.Config;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;

/**
 * Runs the bcrypt checks of passwords and client secrets bounded, off the request's virtual thread. A check costs
 * about a quarter of a second of CPU: on the request's virtual thread it would hold one of the few carrier threads
 * that every request shares, and a login flood would stop the whole API. Here Helidon's {@link Bulkhead} lets
 * {@code limit} checks run at once (default: the number of cores) and {@code queue-length} wait (default: twice
 * that); each runs on a small pool of platform threads while the request's virtual thread waits unmounted. A check
 * beyond the queue is refused at once, without bcrypt, as {@code 503 temporarily_unavailable} with
 * {@code Retry-After}.
 * <p>
 * The queue is bounded in time too: a check that waited longer than {@code max-queue-wait} (default half a second)
 * for its turn is refused the same way instead of run. Under a flood the checks get less CPU (see
 * {@link CheckThreads}), so each takes a few times longer than on an idle machine, and a queue sized in checks
 * would make the logins it accepts wait seconds; bounded in time, an accepted login takes at most that wait plus
 * one check. Helidon's bulkhead bounds its queue by length only, hence this check of the time waited.
 * <p>
 * And when CPU is short, checks run one at a time. Each check compares the CPU time its thread got with the time it
 * took; one that got less than {@value #CONTENDED_SHARE} of a core shows that other work wants the cores, and the
 * checks after it take turns until one gets its core again. Under a login flood two checks side by side would each
 * get a fraction of a core and together take more CPU from the API than one; one at a time, each check ends sooner,
 * so an accepted login waits less, while on an idle machine {@code limit} checks still run at once. A check that
 * waits for its turn waits within {@code max-queue-wait} too.
 */
public final class BcryptBulkhead implements HashCheckRunner {
    /** A check takes a fraction of a second: one second later the queue has moved on. */
    static final long RETRY_AFTER_SECONDS = 1;

    /** How long a refusal of a full bulkhead waits before it is answered. */
    public static final Duration REFUSAL_PAUSE = Duration.ofMillis(250);

    /** The share of a core below which a check shows that CPU is short. */
    static final double CONTENDED_SHARE = 0.6;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Bulkhead bulkhead;
    private final ThreadPoolExecutor executor;
    private final long maxQueueWaitNanos;
    private final LongSupplier nanoClock;
    private final LongSupplier cpuClock;
    private final Runnable refused;
    private final ReentrantLock oneAtATime = new ReentrantLock(true);
    private volatile boolean contended;

    /**
     * Creates the bulkhead.
     *
     * @param limit        checks that run at once
     * @param queueLength  checks that may wait for one of them
     * @param maxQueueWait how long a check may wait for its turn
     * @param nanoClock    {@link System#nanoTime()}, or a test's clock
     * @param refused      told of every refused check
     */
    public BcryptBulkhead(int limit, int queueLength, Duration maxQueueWait, LongSupplier nanoClock,
                          Runnable refused) {
        // without per-thread CPU times a check counts as having had its core: checks are never held to one at a time
        this(limit, queueLength, maxQueueWait, nanoClock,
             THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled()
                     ? THREADS::getCurrentThreadCpuTime : nanoClock, refused);
    }

    /**
     * Creates the bulkhead with a test's clock of the CPU time of the current thread.
     *
     * @param cpuClock CPU time of the current thread in nanoseconds
     */
    BcryptBulkhead(int limit, int queueLength, Duration maxQueueWait, LongSupplier nanoClock, LongSupplier cpuClock,
                   Runnable refused) {
        if (limit < 1 || queueLength < 0 || maxQueueWait.isNegative()) {
            throw new IllegalStateException("app.password.bulkhead: limit must be at least 1, queue-length at"
                                                    + " least 0 and max-queue-wait not negative");
        }
        this.bulkhead = Bulkhead.builder().name("bcrypt").limit(limit).queueLength(queueLength).build();
        this.executor = new ThreadPoolExecutor(limit, limit, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                                               new CheckThreads());
        // idle threads end, so that a service nobody logs into holds none
        executor.allowCoreThreadTimeOut(true);
        this.maxQueueWaitNanos = maxQueueWait.toNanos();
        this.nanoClock = nanoClock;
        this.cpuClock = cpuClock;
        this.refused = refused;
    }

    /**
     * Creates the bulkhead from {@code app.password.bulkhead}.
     *
     * @param node    the {@code app.password.bulkhead} node: {@code limit}, {@code queue-length},
     *                {@code max-queue-wait}
     * @param refused told of every refused check
     * @return bulkhead
     */
    public static BcryptBulkhead create(Config node, Runnable refused) {
        int limit = ConfigKeys.PASSWORD_BULKHEAD_LIMIT.text(node).map(Integer::parseInt)
                .orElse(Runtime.getRuntime().availableProcessors());
        return new BcryptBulkhead(limit, ConfigKeys.PASSWORD_BULKHEAD_QUEUE_LENGTH.text(node).map(Integer::parseInt)
                                          .orElse(2 * limit),
                                  ConfigKeys.PASSWORD_BULKHEAD_MAX_QUEUE_WAIT.duration(node),
                                  System::nanoTime, refused);
    }

    @Override
    public boolean run(BooleanSupplier check) {
        long queued = nanoClock.getAsLong();
        try {
            return bulkhead.invoke(() -> {
                if (nanoClock.getAsLong() - queued > maxQueueWaitNanos) {
                    throw new WaitedTooLong();
                }
                return onCheckThread(() -> checkInTurn(check, queued));
            });
        } catch (BulkheadException e) {
            refused.run();
            pause();
            throw OAuthError.temporarilyUnavailable(RETRY_AFTER_SECONDS);
        } catch (WaitedTooLong e) {
            refused.run();
            throw OAuthError.temporarilyUnavailable(RETRY_AFTER_SECONDS);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(REFUSAL_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Checks running and waiting.
     *
     * @return how many checks hold or wait for the bulkhead
     */
    public long inFlight() {
        Bulkhead.Stats stats = bulkhead.stats();
        return stats.concurrentExecutions() + stats.waitingQueueSize();
    }

    /** On a check thread: runs the check, alone if the last one showed that CPU is short. */
    private boolean checkInTurn(BooleanSupplier check, long queued) throws InterruptedException {
        boolean alone = contended;
        if (alone && !oneAtATime.tryLock(maxQueueWaitNanos - (nanoClock.getAsLong() - queued), TimeUnit.NANOSECONDS)) {
            throw new WaitedTooLong();
        }
        try {
            long started = nanoClock.getAsLong();
            long cpu = cpuClock.getAsLong();
            boolean matches = check.getAsBoolean();
            contended = cpuClock.getAsLong() - cpu < CONTENDED_SHARE * (nanoClock.getAsLong() - started);
            return matches;
        } finally {
            if (alone) {
                oneAtATime.unlock();
            }
        }
    }

    private boolean onCheckThread(Callable<Boolean> check) {
        Future<Boolean> result = executor.submit(check);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a password was being checked", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("password check failed", e.getCause());
        }
    }

    private static final class WaitedTooLong extends RuntimeException {
        WaitedTooLong() {
            super("waited too long for a password check", null, false, false);
        }
    }

    /**
     * Daemon platform threads (a check in progress never keeps the JVM from exiting) of the lowest priority: with
     * {@code -XX:ThreadPriorityPolicy=1} (bin/jvm.options) Linux runs them at nice 4, which any process may set for
     * its own threads, so that when CPU is short the carrier threads of the other requests come first.
     */
    private static final class CheckThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            return Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY)
                    .name("bcrypt-" + count.incrementAndGet()).unstarted(task);
        }
    }
}
