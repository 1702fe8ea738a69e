package dev.tokenservice.clients;

import java.util.Optional;

import dev.tokenservice.token.ClientCredentials;
import dev.tokenservice.token.OAuthError;
import dev.tokenservice.users.PasswordHasher;

/**
 * Client authentication, RFC 6749 §2.3.1, for the token, revocation and introspection endpoints: turns the
 * credentials of a request into the client it comes from.
 * <ul>
 *     <li>No client id and no secret (also {@code Authorization: Basic Og==}, an empty id and secret): the
 *     default public client, when there is one; otherwise {@code invalid_client} (§5.2 counts "no client
 *     authentication included" as {@code invalid_client}).</li>
 *     <li>A public client: its id alone, with no secret (§3.2.1).</li>
 *     <li>A confidential client: its id and the secret that matches its bcrypt hash.</li>
 * </ul>
 * Every refusal of a request naming a client is the same {@code invalid_client} after one bcrypt check, so
 * neither the answer nor its time tells whether a client id exists.
 */
public final class ClientAuthenticator {
    private static final String BAD_CLIENT = "Unknown client or wrong client secret";

    private final ClientStore clients;
    private final PasswordHasher hasher;

    /**
     * Creates the authenticator.
     *
     * @param clients client store
     * @param hasher  hasher, for the secret check and the dummy check of unknown clients
     */
    public ClientAuthenticator(ClientStore clients, PasswordHasher hasher) {
        this.clients = clients;
        this.hasher = hasher;
    }

    /**
     * Authenticates the client of a request.
     *
     * @param credentials what the request sent
     * @return the client
     * @throws OAuthError {@code invalid_client} when the client is unknown, its secret is wrong or missing, a public
     *                    client sent a secret, or nothing was sent and there is no default client
     */
    public Client authenticate(ClientCredentials credentials) {
        String id = credentials.clientId();
        String secret = credentials.secret();
        if (id.isEmpty()) {
            if (!secret.isEmpty()) {
                throw OAuthError.invalidClient("A client secret was sent without a client id");
            }
            return clients.defaultClient().orElseThrow(() -> OAuthError.invalidClient(
                    "Client authentication is required: send client_id, and the client secret of a confidential"
                            + " client"));
        }
        Optional<Client> client = clients.find(id);
        if (client.isPresent() && !client.get().confidential() && secret.isEmpty()) {
            return client.get();
        }
        if (client.isEmpty() || !client.get().confidential() || secret.isEmpty()) {
            // spend the time of a real check, then refuse
            hasher.matchNothing(secret);
            throw OAuthError.invalidClient(BAD_CLIENT);
        }
        if (!hasher.matches(secret, client.get().secretHash())) {
            throw OAuthError.invalidClient(BAD_CLIENT);
        }
        return client.get();
    }
}
