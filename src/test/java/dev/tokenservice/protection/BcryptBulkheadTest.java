package dev.tokenservice.protection;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.tokenservice.oauth.OAuthError;

import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The bulkhead of the bcrypt checks: a limit running, a queue waiting, an immediate 503 beyond, and checks that
 * run on platform threads, never on the caller's virtual thread.
 */
class BcryptBulkheadTest {
    @Test
    void beyondLimitAndQueueChecksAreRefusedAtOnceWithoutRunning() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        BcryptBulkhead bulkhead = new BcryptBulkhead(1, 1, Duration.ofMinutes(1), System::nanoTime,
                                                    refusals::incrementAndGet);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> checkThread = new AtomicReference<>();
        AtomicReference<Boolean> first = new AtomicReference<>();
        AtomicReference<Boolean> second = new AtomicReference<>();

        Thread running = Thread.ofVirtual().start(() -> first.set(bulkhead.run(() -> {
            checkThread.set(Thread.currentThread());
            await(release);
            return true;
        })));
        waitFor(bulkhead, 1);
        Thread waiting = Thread.ofVirtual().start(() -> second.set(bulkhead.run(() -> false)));
        waitFor(bulkhead, 2);

        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();
        OAuthError refused = assertThrows(OAuthError.class, () -> bulkhead.run(() -> ran.getAndSet(true)));
        assertThat((System.nanoTime() - start) < 1_000_000_000L, is(true));
        assertThat(refused.status(), is(Status.SERVICE_UNAVAILABLE_503));
        assertThat(refused.error(), is("temporarily_unavailable"));
        assertThat(refused.retryAfter().getAsLong(), is(1L));
        assertThat(ran.get(), is(false));
        assertThat(refusals.get(), is(1));

        release.countDown();
        running.join();
        waiting.join();
        assertThat(first.get(), is(true));
        assertThat(second.get(), is(false));
        assertThat(bulkhead.inFlight(), is(0L));
        // the check ran on one of the bulkhead's platform threads, not on the caller's virtual thread
        assertThat(checkThread.get().isVirtual(), is(false));
        assertThat(checkThread.get().getName(), startsWith("bcrypt-"));
        assertThat(checkThread.get().getPriority(), is(Thread.MIN_PRIORITY));
    }

    @Test
    void aCheckThatWaitedLongerThanTheBoundIsRefusedInsteadOfRun() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        BcryptBulkhead bulkhead = new BcryptBulkhead(1, 2, Duration.ofMillis(500), now::get,
                                                    refusals::incrementAndGet);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Boolean> first = new AtomicReference<>();
        Thread running = Thread.ofVirtual().start(() -> first.set(bulkhead.run(() -> {
            await(release);
            return true;
        })));
        waitFor(bulkhead, 1);
        AtomicBoolean lateRan = new AtomicBoolean();
        AtomicReference<Throwable> lateFailure = new AtomicReference<>();
        Thread late = Thread.ofVirtual().start(() -> {
            try {
                bulkhead.run(() -> lateRan.getAndSet(true));
            } catch (Throwable e) {
                lateFailure.set(e);
            }
        });
        waitFor(bulkhead, 2);
        // the queued check has waited 501 ms when its turn comes; one queued now has waited none
        now.addAndGet(Duration.ofMillis(501).toNanos());
        AtomicReference<Boolean> onTime = new AtomicReference<>();
        Thread timely = Thread.ofVirtual().start(() -> onTime.set(bulkhead.run(() -> true)));
        waitFor(bulkhead, 3);
        release.countDown();
        running.join();
        late.join();
        timely.join();

        assertThat(first.get(), is(true));
        assertThat(lateRan.get(), is(false));
        OAuthError refused = (OAuthError) lateFailure.get();
        assertThat(refused.status(), is(Status.SERVICE_UNAVAILABLE_503));
        assertThat(refused.error(), is("temporarily_unavailable"));
        assertThat(refused.retryAfter().getAsLong(), is(1L));
        assertThat(refusals.get(), is(1));
        assertThat(onTime.get(), is(true));
        assertThat(bulkhead.inFlight(), is(0L));
    }

    @Test
    void aFailingCheckFreesItsPlace() {
        BcryptBulkhead bulkhead = new BcryptBulkhead(1, 0, Duration.ofMinutes(1), System::nanoTime, () -> { });
        assertThrows(IllegalArgumentException.class, () -> bulkhead.run(() -> {
            throw new IllegalArgumentException("bad hash");
        }));
        assertThat(bulkhead.run(() -> true), is(true));
    }

    @Test
    void whenACheckGotLittleCpuTheNextOnesRunOneAtATime() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        // a thread that gets no CPU at all: every check shows that CPU is short
        BcryptBulkhead bulkhead = new BcryptBulkhead(2, 2, Duration.ofMillis(300), System::nanoTime, () -> 0L,
                                                    refusals::incrementAndGet);
        assertThat(bulkhead.run(() -> pause(20)), is(true));

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Boolean> first = new AtomicReference<>();
        Thread running = Thread.ofVirtual().start(() -> first.set(bulkhead.run(() -> {
            started.countDown();
            await(release);
            return true;
        })));
        started.await();
        // a place is free, but the check waits for the running one, here longer than max-queue-wait: refused
        AtomicBoolean ran = new AtomicBoolean();
        OAuthError refused = assertThrows(OAuthError.class, () -> bulkhead.run(() -> ran.getAndSet(true)));
        assertThat(refused.status(), is(Status.SERVICE_UNAVAILABLE_503));
        assertThat(ran.get(), is(false));
        assertThat(refusals.get(), is(1));

        release.countDown();
        running.join();
        assertThat(first.get(), is(true));
        assertThat(bulkhead.run(() -> true), is(true));
    }

    @Test
    void checksThatGetTheirCoreRunSideBySide() throws Exception {
        // a thread that gets all the time it runs as CPU
        BcryptBulkhead bulkhead = new BcryptBulkhead(2, 2, Duration.ofMillis(300), System::nanoTime,
                                                    System::nanoTime, () -> { });
        assertThat(bulkhead.run(() -> pause(20)), is(true));

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Thread running = Thread.ofVirtual().start(() -> bulkhead.run(() -> {
            started.countDown();
            await(release);
            return true;
        }));
        started.await();
        assertThat(bulkhead.run(() -> true), is(true));
        release.countDown();
        running.join();
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static void waitFor(BcryptBulkhead bulkhead, long inFlight) {
        eventually(bulkhead::inFlight, is(inFlight));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
