package dev.tokenservice.web;

import java.util.Optional;

/**
 * The one parser of the {@code Authorization} header's {@code Bearer} scheme (RFC 6750 §2.1):
 * {@code credentials = "Bearer" 1*SP b64token}, the scheme name in any case (RFC 9110 §11.1).
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /**
     * The token of an {@code Authorization} value of the {@code Bearer} scheme.
     *
     * @return what follows the scheme, not yet checked; empty for another scheme or none
     */
    public static Optional<String> of(String authorization) {
        return authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? Optional.of(authorization.substring(SCHEME.length()))
                : Optional.empty();
    }

    /**
     * The value of an {@code Authorization} header that presents a token.
     *
     * @return {@code Bearer <token>}
     */
    public static String header(String token) {
        return SCHEME + token;
    }

    /**
     * Whether a token has the syntax RFC 6750 §2.1 allows:
     * {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}.
     */
    public static boolean wellFormed(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "-._~+/".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
