package dev.tokenservice.users;

import java.util.function.BooleanSupplier;

/**
 * Where {@link PasswordHasher} runs its bcrypt checks: on the calling thread (commands, tests), or bounded and off
 * the request's virtual thread (the service, {@code dev.tokenservice.protection.BcryptBulkhead}).
 */
@FunctionalInterface
public interface HashCheckRunner {
    /** Runs a check on the calling thread. */
    static HashCheckRunner inline() {
        return BooleanSupplier::getAsBoolean;
    }

    /**
     * Runs one check.
     *
     * @throws RuntimeException when the runner refuses the check (too many at once)
     */
    boolean run(BooleanSupplier check);
}
