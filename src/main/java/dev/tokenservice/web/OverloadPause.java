package dev.tokenservice.web;

import java.time.Duration;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * After a {@code 503} with {@code Retry-After} (the bcrypt bulkhead is full, the store is unavailable), the
 * connection waits a moment before its next request is read.
 * <p>
 * The answer itself has gone out at once: Helidon writes a response to the socket when the route sends it. A
 * client that honours {@code Retry-After} (RFC 9110 §10.2.3) waits longer than this anyway and never notices.
 * One that does not, a login flood on keep-alive connections above all, would otherwise send its next request at
 * once, and a flood of cheap {@code 503} answers takes the CPU from the rest of the API like any request flood
 * (measured with {@code BENCH_IGNORE_RETRY_AFTER=1 bash .ci/bench isolation}: {@code /users/me} kept 7 % of its
 * throughput). Paused, each such connection costs a few answers a second, and its thread waits unmounted.
 * {@code 429} answers (login throttling) are left alone: they are per user or address, not the server's
 * capacity, and answered at once in a row they show a client that nothing was checked.
 */
public final class OverloadPause implements Filter {
    /** How long a connection answered 503 waits before its next request is read. */
    static final Duration PAUSE = Duration.ofMillis(100);

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (res.status().code() == Status.SERVICE_UNAVAILABLE_503.code()
                && res.headers().contains(HeaderNames.RETRY_AFTER)) {
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
