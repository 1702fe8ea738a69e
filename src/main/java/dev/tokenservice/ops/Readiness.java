package dev.tokenservice.ops;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.users.UserStore;

import io.helidon.health.HealthCheckResponse;

/**
 * The readiness check ({@code /observe/health/ready}): up while the signing key is loaded, the user store
 * answers and the service is not shutting down.
 */
public final class Readiness {
    private final KeyRing keys;
    private final UserStore users;
    private volatile boolean draining;

    /**
     * Creates the check.
     *
     * @param keys  key ring
     * @param users user store
     */
    public Readiness(KeyRing keys, UserStore users) {
        this.keys = keys;
        this.users = users;
    }

    /**
     * Marks the service as shutting down: readiness fails from now on, so that traffic drains away.
     */
    public void drain() {
        draining = true;
    }

    /**
     * Runs the check.
     *
     * @return health response
     */
    public HealthCheckResponse check() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder();
        if (draining) {
            return response.status(false).detail("reason", "shutting down").build();
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
