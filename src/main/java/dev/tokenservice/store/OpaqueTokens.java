package dev.tokenservice.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque refresh tokens: 256 random bits from {@link SecureRandom}, base64url without padding (43 characters),
 * and the SHA-256 hash under which a store keeps them.
 * <p>
 * A fast hash is right here, unlike for passwords: slow hashes exist to make guessing low-entropy secrets costly,
 * and nobody can guess 256 random bits, however fast each guess is. An unsalted hash also lets a store find a
 * token by its hash; a leaked store still yields no usable token.
 */
public final class OpaqueTokens {
    /** Random bytes per token. */
    public static final int BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private OpaqueTokens() {
    }

    /** A new token: 43 base64url characters. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * The hash a store keeps instead of the token.
     *
     * @param token token as presented (any string)
     * @return base64url SHA-256 of its UTF-8 bytes
     */
    public static String hash(String token) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // every Java platform has SHA-256
            throw new IllegalStateException(e);
        }
    }
}
