package dev.tokenservice.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.tokenservice.users.PasswordHasher;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.mindrot.jbcrypt.BCrypt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One bcrypt password check at cost 12 (the service's default), per Java implementation: jbcrypt 0.4, Bouncy
 * Castle's {@code OpenBSDBCrypt}, and the service's {@link PasswordHasher} as it verifies (Bouncy Castle, since
 * these figures). The same hash and
 * password for all, a {@code $2b$} hash as current tools write them and the {@code $2a$} form jbcrypt writes.
 * The system's libxcrypt is timed by {@code .ci/bench-src/LibxcryptCheck.java} (Java 22+ foreign function API),
 * run by {@code bash .ci/bench bcrypt} after this one. Single-threaded: the figure is the time of one check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BcryptBenchmark {
    static final String PASSWORD = "securepassword";
    /** {@code securepassword} at cost 12, written by jbcrypt ({@code $2a$}). */
    static final String HASH_2A = "$2a$12$5wixc9Azvlu1vAXV73f0Pe2mHwANHKsBJXM5uHyee9oAck/FNq2L.";

    @Param({"$2a$", "$2b$"})
    public String prefix;

    private String hash;
    private char[] password;
    private PasswordHasher hasher;

    /**
     * The hash in the form of the parameter, checked once with each implementation.
     */
    @Setup
    public void setUp() {
        hash = prefix + HASH_2A.substring(4);
        password = PASSWORD.toCharArray();
        hasher = new PasswordHasher(12);
        if (!jbcrypt() || !bouncyCastle() || !service()) {
            throw new IllegalStateException("an implementation does not accept the hash");
        }
    }

    /**
     * jbcrypt, which reads only {@code $2a$}: the other forms are checked as {@code $2a$}, the same value for
     * passwords of up to 72 bytes.
     *
     * @return whether the password matches
     */
    @Benchmark
    public boolean jbcrypt() {
        return BCrypt.checkpw(PASSWORD, "$2a$" + hash.substring(4));
    }

    /**
     * Bouncy Castle, which reads {@code $2a$}, {@code $2b$} and {@code $2y$}.
     *
     * @return whether the password matches
     */
    @Benchmark
    public boolean bouncyCastle() {
        return OpenBSDBCrypt.checkPassword(hash, password);
    }

    /**
     * What a login costs in the service.
     *
     * @return whether the password matches
     */
    @Benchmark
    public boolean service() {
        return hasher.matches(PASSWORD, hash);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
