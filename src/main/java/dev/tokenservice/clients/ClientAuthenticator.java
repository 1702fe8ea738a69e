package dev.tokenservice.clients;

import java.util.Optional;

import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.oauth.ClientCredentials;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.protection.LoginProtection;
import dev.tokenservice.users.PasswordHasher;

/**
 * Client authentication, RFC 6749 §2.3.1, for the token, revocation and introspection endpoints: turns the
 * credentials of a request into the client it comes from.
 * <ul>
 *     <li>No client id and no secret (also {@code Authorization: Basic Og==}, an empty id and secret): the
 *     default public client, when there is one; otherwise {@code invalid_client} (§5.2 counts "no client
 *     authentication included" as {@code invalid_client}).</li>
 *     <li>A public client: its id alone, with no secret (§3.2.1).</li>
 *     <li>A confidential client: its id and the secret that matches its hash ({@link ClientSecrets}: SHA-256 for a
 *     generated secret, or bcrypt).</li>
 * </ul>
 * Every refusal of a request naming a client is the same {@code invalid_client} after one check of the kind in
 * use, so neither the answer nor its time tells whether a client id exists. Failed checks are counted by client id and
 * address, and a client id or address that failed too often waits ({@link LoginProtection}).
 */
public final class ClientAuthenticator {
    private static final String BAD_CLIENT = "Unknown client or wrong client secret";

    private final ClientStore clients;
    private final ClientSecrets secrets;
    private final LoginProtection protection;
    private final SecurityEvents events;

    /**
     * Creates the authenticator.
     *
     * @param hasher     hasher, for bcrypt secret hashes and the dummy check of unknown clients
     * @param protection throttling of failed client authentications
     */
    public ClientAuthenticator(ClientStore clients, PasswordHasher hasher, LoginProtection protection) {
        this(clients, hasher, protection, SecurityEvents.NONE);
    }

    /**
     * Creates the authenticator, which reports each failed client authentication.
     *
     * @param clients    client store
     * @param hasher     hasher, for bcrypt secret hashes and the dummy check of unknown clients
     * @param protection throttling of failed client authentications
     * @param events     where the events go
     */
    public ClientAuthenticator(ClientStore clients, PasswordHasher hasher, LoginProtection protection,
                               SecurityEvents events) {
        this.events = events;
        this.clients = clients;
        this.secrets = new ClientSecrets(hasher, clients.anyBcryptSecret());
        this.protection = protection;
    }

    /**
     * Authenticates the client of a request.
     *
     * @throws OAuthError {@code invalid_client} when the client is unknown, its secret is wrong or missing, a public
     *                    client sent a secret, or nothing was sent and there is no default client; {@code 429}
     *                    while the client id or the address waits
     */
    public Client authenticate(ClientCredentials credentials, String address) {
        String id = credentials.clientId();
        String secret = credentials.secret();
        if (id.isEmpty()) {
            if (!secret.isEmpty()) {
                failed(Reasons.UNEXPECTED_SECRET, id, address);
                throw OAuthError.invalidClient("A client secret was sent without a client id");
            }
            Optional<Client> defaultClient = clients.defaultClient();
            if (defaultClient.isEmpty()) {
                failed(Reasons.NO_CLIENT, id, address);
            }
            return defaultClient.orElseThrow(() -> OAuthError.invalidClient(
                    "Client authentication is required: send client_id, and the client secret of a confidential"
                            + " client"));
        }
        Optional<Client> client = clients.find(id);
        if (client.isPresent() && !client.get().confidential() && secret.isEmpty()) {
            return client.get();
        }
        try {
            protection.admit(LoginProtection.Kind.CLIENT, id, address);
        } catch (OAuthError e) {
            events.emit(SecurityEvent.failure(EventTypes.CLIENT_AUTH, Reasons.THROTTLED).clientId(id).address(address)
                                .retryAfter(e.retryAfter().orElse(0)).build());
            throw e;
        }
        boolean matches;
        if (client.isEmpty() || !client.get().confidential() || secret.isEmpty()) {
            // spend the time of a real check, then refuse
            secrets.matchNothing(secret);
            matches = false;
        } else {
            matches = secrets.matches(secret, client.get().secretHash());
        }
        if (!matches) {
            protection.failed(LoginProtection.Kind.CLIENT, id, address);
            failed(client.isEmpty() ? Reasons.UNKNOWN_CLIENT
                           : client.get().confidential() ? Reasons.WRONG_SECRET : Reasons.UNEXPECTED_SECRET,
                   id, address);
            throw OAuthError.invalidClient(BAD_CLIENT);
        }
        protection.succeeded(LoginProtection.Kind.CLIENT, id);
        return client.get();
    }

    private void failed(String reason, String clientId, String address) {
        events.emit(SecurityEvent.failure(EventTypes.CLIENT_AUTH, reason).clientId(clientId).address(address).build());
    }
}
