package dev.tokenservice.keys;

/**
 * The public side of the {@link KeyRing}, as it is now: what verifies tokens and what publishes keys holds this, and
 * so never a private key. The ring replaces its content when the key file changes.
 */
public final class PublicKeyRing {
    private volatile PublicKeys current;

    PublicKeyRing(PublicKeys current) {
        this.current = current;
    }

    /**
     * Public keys that stand for a key set of their own, for tests and tools that verify without a ring.
     *
     * @return a ring that always holds that set's public keys
     */
    public static PublicKeyRing of(KeySet keySet) {
        return new PublicKeyRing(keySet.publicKeys());
    }

    /** The current public keys. Read once per operation: a later call may see a newer set. */
    public PublicKeys current() {
        return current;
    }

    void update(PublicKeys next) {
        current = next;
    }
}
