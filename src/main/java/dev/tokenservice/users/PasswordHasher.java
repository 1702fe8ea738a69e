package dev.tokenservice.users;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.mindrot.jbcrypt.BCrypt;

/**
 * bcrypt password hashing: new hashes with jbcrypt ({@code $2a$}), checks with Bouncy Castle.
 * <p>
 * bcrypt reads at most 72 bytes of a password and silently ignores the rest, so longer passwords are refused
 * instead of being truncated. Hashes in the {@code $2a$}, {@code $2b$} and {@code $2y$} forms are accepted: for
 * passwords of up to 72 bytes the three compute the same value.
 */
public final class PasswordHasher {
    /** The longest password bcrypt reads, in UTF-8 bytes. */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** bcrypt's own bounds on the cost (log2 of the rounds). */
    public static final int MIN_COST = 4;
    /** bcrypt's own bounds on the cost (log2 of the rounds). */
    public static final int MAX_COST = 31;

    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d{2})\\$[./A-Za-z0-9]{53}");

    private final int cost;
    private final String dummyHash;
    private final Consumer<Duration> checkTime;
    private final HashCheckRunner runner;

    /**
     * Creates a hasher that checks on the calling thread.
     *
     * @param cost bcrypt cost for new hashes and for the dummy hash that unknown users are checked against
     */
    public PasswordHasher(int cost) {
        this(cost, time -> { }, HashCheckRunner.inline());
    }

    /**
     * Creates a hasher that runs its checks through a runner and reports the time of each.
     *
     * @param cost      bcrypt cost for new hashes and for the dummy hash that unknown users are checked against
     * @param checkTime receives the duration of every password check (its bcrypt work, not its wait)
     */
    public PasswordHasher(int cost, Consumer<Duration> checkTime, HashCheckRunner runner) {
        this.checkTime = checkTime;
        this.runner = runner;
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and " + MAX_COST
                                                       + ", not " + cost);
        }
        this.cost = cost;
        this.dummyHash = dummyHash(cost);
    }

    /*
     * A check against this hash costs what a check against a user's hash costs: bcrypt's time is the key setup from
     * the password and the salt at the hash's cost, and the stored digest is only compared at the end. So the digest
     * need not be computed (that took one full bcrypt at every start, ~250 ms at cost 12), and this one is no
     * digest at all: bcrypt encodes 23 bytes in 31 characters, leaving the last one a multiple of 4, which '/' (1)
     * is not, so no password matches it.
     */
    private static String dummyHash(int cost) {
        return BCrypt.gensalt(cost) + ".".repeat(30) + "/";
    }

    /** The configured cost. */
    public int cost() {
        return cost;
    }

    /**
     * Hashes a password at the configured cost.
     *
     * @throws IllegalArgumentException if the password is empty or longer than {@value #MAX_PASSWORD_BYTES} bytes
     */
    public String hash(String password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("The password is empty");
        }
        if (tooLong(password)) {
            throw new IllegalArgumentException("The password is longer than " + MAX_PASSWORD_BYTES
                                                       + " bytes in UTF-8; bcrypt would ignore the rest");
        }
        return BCrypt.hashpw(password, BCrypt.gensalt(cost));
    }

    /**
     * Checks a password against a hash.
     *
     * @param hash     the stored hash, in a form {@link #isWellFormed(String)} accepts
     * @return whether they match; always {@code false} for a password too long for bcrypt
     * @throws RuntimeException from the runner when it refuses the check
     */
    public boolean matches(String password, String hash) {
        // a password too long spends the time of a real check, then is refused: bcrypt would truncate it
        boolean tooLong = tooLong(password);
        String checked = tooLong ? dummyHash : hash;
        return runner.run(() -> {
            long start = System.nanoTime();
            try {
                return check(password, checked) && !tooLong;
            } finally {
                checkTime.accept(Duration.ofNanos(System.nanoTime() - start));
            }
        });
    }

    /**
     * Spends the time of one password check against a hash that matches nothing, so that an unknown username
     * takes as long to refuse as a wrong password.
     */
    public void matchNothing(String password) {
        matches(password, dummyHash);
    }

    /**
     * Whether a string is a bcrypt hash this hasher can check.
     *
     * @return {@code true} if well formed with a valid cost
     */
    public static boolean isWellFormed(String hash) {
        var matcher = HASH.matcher(hash);
        if (!matcher.matches()) {
            return false;
        }
        int hashCost = Integer.parseInt(matcher.group(1));
        return hashCost >= MIN_COST && hashCost <= MAX_COST;
    }

    /** The cost of a well-formed hash. */
    public static int costOf(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
    }

    /*
     * Bouncy Castle's OpenBSDBCrypt, not jbcrypt: it reads the $2a$, $2b$ and $2y$ forms as they are, compares in
     * constant time, and a check takes about 8 % less CPU (README, Measurements: bash .ci/bench bcrypt).
     */
    private static boolean check(String password, String hash) {
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    private static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }
}
