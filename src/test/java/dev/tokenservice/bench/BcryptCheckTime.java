package dev.tokenservice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import dev.tokenservice.users.PasswordHasher;

/**
 * Prints the time of one password check of the service at cost 12, in milliseconds (median of 7 after 3 of
 * warm-up): what {@code bash .ci/bench http} divides the cores by to get this machine's bcrypt limit of logins per
 * second. The thread's CPU time, which other work on the machine does not stretch as it does the wall time.
 */
public final class BcryptCheckTime {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private BcryptCheckTime() {
    }

    /**
     * Times the checks.
     *
     * @param args none
     */
    public static void main(String[] args) {
        PasswordHasher hasher = new PasswordHasher(12);
        for (int i = 0; i < 3; i++) {
            check(hasher);
        }
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long start = CPU.getCurrentThreadCpuTime();
            check(hasher);
            ms[i] = (CPU.getCurrentThreadCpuTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(java.util.Locale.ROOT, "%.1f%n", ms[ms.length / 2]);
    }

    private static void check(PasswordHasher hasher) {
        if (!hasher.matches(BcryptBenchmark.PASSWORD, BcryptBenchmark.HASH_2A)) {
            throw new IllegalStateException("the hash does not match");
        }
    }
}
