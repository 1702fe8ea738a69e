package dev.tokenservice.store;

/**
 * The shared store cannot be reached or failed to answer: the operation did not happen (a transaction that fails
 * is rolled back as a whole). Endpoints answer {@code 503} with {@code Retry-After}; the caller may retry.
 */
public final class StoreUnavailableException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what could not be done, without any token or credential
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
