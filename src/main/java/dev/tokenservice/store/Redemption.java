package dev.tokenservice.store;

/** The outcome of presenting a refresh token: rotated to a new one, or refused with a reason. */
public sealed interface Redemption {
    /** The token was current: it is used up now, and {@code token} is its family's new current token. */
    record Rotated(String token, RefreshSession session) implements Redemption {
        @Override
        public String toString() {
            return "Rotated[" + session + "]";
        }
    }

    /**
     * The token was refused.
     *
     * @param session the token's family, when the token belongs to one that lived until now (a reuse, an expiry,
     *                another client); {@code null} otherwise
     */
    record Refused(Reason reason, RefreshSession session) implements Redemption {
        /** A refusal of a token of no known family. */
        public Refused(Reason reason) {
            this(reason, null);
        }
    }

    /** Why a refresh token was refused. */
    enum Reason {
        /** Never issued, or its family was revoked or purged. */
        UNKNOWN,
        /** Used before: the family has been revoked (RFC 9700 §4.14.2). */
        REUSED,
        /** Idle or absolute lifetime over: the family has ended. */
        EXPIRED,
        /** Issued to another client; nothing changed. */
        OTHER_CLIENT,
        /** A scope beyond the family's was asked for; nothing changed. */
        SCOPE_WIDENED
    }
}
