package dev.tokenservice.ops;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.store.SharedStore;
import dev.tokenservice.users.UserStore;

import io.helidon.health.HealthCheckResponse;

/**
 * The readiness check ({@code /observe/health/ready}): up while the signing key is loaded, the user store
 * answers and the service is not shutting down.
 * <p>
 * The shared store is reported ({@code store}, {@code storeConnected}, {@code storeLastRead}) but does not take
 * the instance out of service: an unreachable database is unreachable from every replica alike, and taking them
 * all out would turn a partial outage (logins and refreshes answer 503) into a total one (protected routes, which
 * answer from memory, would be unreachable too). Start-up, which needs the database, is what keeps a new instance
 * out until it has loaded the revoked tokens.
 */
public record Readiness(KeyRing keys, UserStore users, SharedStore stores, AtomicBoolean draining) {
    /** The check of a service that is not shutting down. */
    public Readiness(KeyRing keys, UserStore users, SharedStore stores) {
        this(keys, users, stores, new AtomicBoolean());
    }

    /** Marks the service as shutting down: readiness fails from now on, so that traffic drains away. */
    public void drain() {
        draining.set(true);
    }

    /** Runs the check. */
    public HealthCheckResponse check() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder();
        if (draining.get()) {
            return response.status(false).detail("reason", "shutting down").build();
        }
        SharedStore.Health store = stores.health();
        response.detail("store", store.kind()).detail("storeConnected", store.connected());
        if (store.lastRead() != null) {
            response.detail("storeLastRead", store.lastRead().toString());
        }
        try {
            users.find("readiness-probe");
            return response.status(true).detail("signingKey", keys.signingKey().keyId()).build();
        } catch (RuntimeException e) {
            return response.status(false).detail("reason", "user store failed: " + e.getClass().getSimpleName())
                    .build();
        }
    }
}
