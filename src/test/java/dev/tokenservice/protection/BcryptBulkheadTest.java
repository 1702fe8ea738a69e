package dev.tokenservice.protection;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.tokenservice.token.OAuthError;

import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

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
        BcryptBulkhead bulkhead = new BcryptBulkhead(1, 1, refusals::incrementAndGet);
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
    void aFailingCheckFreesItsPlace() {
        BcryptBulkhead bulkhead = new BcryptBulkhead(1, 0, () -> { });
        assertThrows(IllegalArgumentException.class, () -> bulkhead.run(() -> {
            throw new IllegalArgumentException("bad hash");
        }));
        assertThat(bulkhead.run(() -> true), is(true));
    }

    private static void waitFor(BcryptBulkhead bulkhead, long inFlight) throws InterruptedException {
        for (int i = 0; i < 500 && bulkhead.inFlight() < inFlight; i++) {
            Thread.sleep(10);
        }
        assertThat(bulkhead.inFlight(), is(inFlight));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
