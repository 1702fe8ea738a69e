package dev.tokenservice.events;

/**
 * Where the security events of the service go: one call per security-relevant transition (a login, a refused
 * refresh, a revocation, a reloaded key set), never per ordinary request. An implementation returns at once: it
 * takes no lock that I/O holds and waits for no log or database, so that it can be called on the request path.
 */
@FunctionalInterface
public interface SecurityEvents {
    /** Records nothing: for parts built without events (tests, commands). */
    SecurityEvents NONE = event -> { };

    /**
     * Records an event. The time and the replica are set by the implementation when the event leaves them out.
     *
     * @param event the event
     */
    void emit(SecurityEvent event);
}
