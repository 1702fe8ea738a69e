package dev.tokenservice.clients;

import java.util.Optional;

/** Where clients are looked up. The configuration-backed store is the only one today. */
public interface ClientStore {
    /**
     * Finds a client by id (exact, case-sensitive match).
     *
     * @param clientId the {@code client_id}
     * @return the client, if it exists
     */
    Optional<Client> find(String clientId);

    /** The public client that a request without client credentials acts as, if the deployment has one. */
    Optional<Client> defaultClient();

    /**
     * Whether any confidential client's secret hash is a bcrypt one: then unknown client ids are checked against a
     * bcrypt hash too ({@link ClientSecrets}).
     *
     * @return whether bcrypt secret hashes are in use
     */
    boolean anyBcryptSecret();
}
