package dev.tokenservice.keys;

/** A key set that must not be used: unparseable, weak, ambiguous or without a signing key. */
public final class InvalidKeySetException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the key
     */
    public InvalidKeySetException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the key
     */
    public InvalidKeySetException(String message, Throwable cause) {
        super(message, cause);
    }
}
