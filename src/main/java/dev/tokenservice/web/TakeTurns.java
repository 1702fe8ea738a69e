package dev.tokenservice.web;

import java.util.concurrent.locks.LockSupport;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Gives the carrier thread back after every request, so that connections take turns.
 * <p>
 * Helidon serves each connection in a loop on one virtual thread, and virtual threads are not time-sliced: a
 * thread keeps its carrier until it blocks. A keep-alive client that sends its next request as soon as it has the
 * answer (a load balancer, a busy service, wrk) often finds that request already buffered when the loop reads it,
 * so the loop does not block. With more such connections than carriers (one per core), the others wait, runnable,
 * until a busy one happens to find its socket empty; so do the JDK's read pollers, which are virtual threads too
 * (JDK 22+) and wake every other waiting connection. A few requests then wait hundreds of milliseconds behind
 * thousands of others: the latency tail. The heavier a request, the likelier its successor has arrived before it
 * is done, so the authenticated routes suffered most.
 * <p>
 * {@link Thread#yield()} is not enough: the yielding thread is queued in the submission queue of its own carrier,
 * which that carrier goes on draining, so the queue holding the poller is still not reached (JDK 25's
 * {@code ForkJoinPool}). A timed park of one nanosecond is: the thread is queued again by the pool's timer thread,
 * behind what is already waiting, and the carrier goes looking for other work, as a server that hands every request
 * to a queue (Tomcat) has it. Helidon 4.3.0 has no setting for this.
 * <p>
 * A connection parks after every {@value #TURN}th request, not after each: every timed park is a task of the
 * pool's timer thread, which took about a fifth of a core at 38,000 requests/s ({@code bash .ci/bench http}), and
 * {@value #TURN} short requests (tens of microseconds each) hold a carrier far less long than the latency that
 * matters. A connection that has nothing buffered blocks on its next read anyway and needs no turn.
 */
public final class TakeTurns implements Filter {
    /** Requests a connection serves in a row, at most, before it lets the others run. */
    static final int TURN = 8;
    // one virtual thread serves one connection: its requests served since its last turn
    private static final ThreadLocal<int[]> SERVED = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            chain.proceed();
        } finally {
            if (Thread.currentThread().isVirtual()) {
                int[] served = SERVED.get();
                if (++served[0] >= TURN) {
                    served[0] = 0;
                    LockSupport.parkNanos(1);
                }
            }
        }
    }
}
