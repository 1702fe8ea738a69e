package dev.tokenservice.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

import dev.tokenservice.users.PasswordHasher;

/**
 * Checks client secrets against their stored hashes. A client secret made by the {@code client-secret} command is
 * 256 random bits: nobody can guess it, so a slow hash would only burn CPU on every request of the client (a
 * resource server introspecting tokens sends it each time). Its hash is stored as {@code sha256:<64 hex digits>}
 * and compared in constant time. bcrypt {@code secret-hash} values (from {@code hash-password}) keep working, at
 * bcrypt's cost.
 * <p>
 * Equal work for unknown client ids: an unknown id, a confidential client without a secret or a public one with a
 * secret is checked against a dummy hash of the slow kind while any confidential client still has a bcrypt hash,
 * and of the SHA-256 kind once none has. When all clients have one kind, an unknown id costs what a known one does;
 * during a migration an unknown id costs bcrypt, like the clients not yet migrated (client ids are not secrets,
 * RFC 6749 §2.2, but they are not handed out by timing either).
 */
public final class ClientSecrets {
    /** The prefix of a SHA-256 secret hash. */
    public static final String SHA256_PREFIX = "sha256:";

    private static final Pattern SHA256_HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final PasswordHasher hasher;
    private final boolean bcryptInUse;
    private final String dummySha256 = sha256Hash(generate());

    /**
     * Creates the checker.
     *
     * @param bcryptInUse whether any confidential client has a bcrypt secret hash
     */
    public ClientSecrets(PasswordHasher hasher, boolean bcryptInUse) {
        this.hasher = hasher;
        this.bcryptInUse = bcryptInUse;
    }

    /** A new client secret: 256 random bits, base64url without padding (43 characters). */
    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * The stored form of a generated secret: {@code sha256:} and the hex SHA-256 of its UTF-8 bytes, the same as
     * {@code printf %s "$SECRET" | sha256sum}.
     */
    public static String sha256Hash(String secret) {
        return SHA256_PREFIX + HEX.formatHex(sha256(secret));
    }

    /**
     * Whether a {@code secret-hash} is a hash this checker reads: {@code sha256:} and 64 lowercase hex digits, or a
     * bcrypt hash.
     */
    public static boolean isWellFormed(String hash) {
        return isSha256(hash) || PasswordHasher.isWellFormed(hash);
    }

    /**
     * Whether a {@code secret-hash} is of the SHA-256 kind.
     *
     * @return whether it is {@code sha256:...}
     */
    public static boolean isSha256(String hash) {
        return SHA256_HASH.matcher(hash).matches();
    }

    /**
     * Checks a secret against a stored hash.
     *
     * @param hash   the stored hash, well formed
     */
    public boolean matches(String secret, String hash) {
        if (isSha256(hash)) {
            byte[] expected = HEX.parseHex(hash, SHA256_PREFIX.length(), hash.length());
            return MessageDigest.isEqual(expected, sha256(secret));
        }
        return hasher.matches(secret, hash);
    }

    /**
     * Spends the time of a check that fails, for an unknown client id: see the class description.
     *
     * @param secret the secret sent, possibly empty
     */
    public void matchNothing(String secret) {
        if (bcryptInUse) {
            hasher.matchNothing(secret);
        } else {
            matches(secret, dummySha256);
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
