package dev.tokenservice.clients;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.users.PasswordHasher;

import io.helidon.config.Config;

/**
 * Clients listed in configuration under {@code app.clients}, and the default client named by
 * {@code app.default-client}: the public client that a token request without client credentials acts as, so that
 * the classic flow (username and password only) keeps working. An empty {@code app.default-client} switches that
 * off.
 * <p>
 * With no {@code app.clients} at all, one public client named by {@code app.default-client} exists, allowed every
 * grant type a public client may use and every scope: a deployment configured before clients existed behaves as
 * before.
 * <p>
 * Start-up fails, naming the client, on a missing or malformed id, a duplicate id, an unknown type, a confidential
 * client without a well-formed bcrypt secret hash, a public client with one, an unknown grant type or scope, a public
 * client allowed the client credentials grant (RFC 6749 §4.4: confidential clients only), or a default client that
 * does not exist or is not public.
 */
public final class ConfigClientStore implements ClientStore {
    private static final System.Logger LOGGER = System.getLogger(ConfigClientStore.class.getName());
    /** RFC 6749 Appendix A.1: client-id = *VSCHAR, VSCHAR = %x20-7E. */
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x20-\\x7E]+");

    private final Map<String, Client> clients;
    private final Client defaultClient;

    private ConfigClientStore(Map<String, Client> clients, Client defaultClient) {
        this.clients = Map.copyOf(clients);
        this.defaultClient = defaultClient;
    }

    /**
     * Reads the clients.
     *
     * @param appConfig   the {@code app} node
     * @param grantTypes  grant types the token endpoint serves
     * @param cost        the configured bcrypt cost, which the unknown-client check spends
     * @throws IllegalStateException when an entry is invalid
     */
    public static ConfigClientStore create(Config appConfig, Set<String> grantTypes, Set<String> knownScopes,
                                           int cost) {
        String defaultId = ConfigKeys.DEFAULT_CLIENT.string(appConfig).strip();
        List<Config> entries = appConfig.get("clients").asNodeList().orElse(List.of());
        Map<String, Client> clients = new HashMap<>();
        if (entries.isEmpty() && !defaultId.isEmpty()) {
            Set<String> publicGrants = new HashSet<>(grantTypes);
            publicGrants.remove(GrantTypes.CLIENT_CREDENTIALS);
            LOGGER.log(System.Logger.Level.INFO, "No app.clients configured: serving the public client '" + defaultId
                    + "' (grant types " + publicGrants + ", all scopes) as the default client");
            clients.put(defaultId, new Client(defaultId, Client.Type.PUBLIC, null, publicGrants, knownScopes, false));
        }
        for (int i = 0; i < entries.size(); i++) {
            Client client = client(entries.get(i), i, grantTypes, knownScopes, cost);
            if (clients.putIfAbsent(client.id(), client) != null) {
                throw new IllegalStateException("Client '" + client.id() + "' is configured more than once");
            }
        }
        if (defaultId.isEmpty()) {
            LOGGER.log(System.Logger.Level.INFO, "No default client (app.default-client is empty): token requests"
                    + " must identify their client");
            return new ConfigClientStore(clients, null);
        }
        Client defaultClient = clients.get(defaultId);
        if (defaultClient == null) {
            throw new IllegalStateException("app.default-client names '" + defaultId + "', which is not in"
                                                    + " app.clients; add it, or set app.default-client to \"\" to"
                                                    + " require client credentials");
        }
        if (defaultClient.confidential()) {
            // anyone could act as it without its secret
            throw new IllegalStateException("app.default-client '" + defaultId + "' is a confidential client; the"
                                                    + " default client must be public");
        }
        return new ConfigClientStore(clients, defaultClient);
    }

    @Override
    public Optional<Client> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public Optional<Client> defaultClient() {
        return Optional.ofNullable(defaultClient);
    }

    @Override
    public boolean anyBcryptSecret() {
        return clients.values().stream()
                .anyMatch(client -> client.confidential() && !ClientSecrets.isSha256(client.secretHash()));
    }

    private static Client client(Config entry, int index, Set<String> grantTypes, Set<String> knownScopes, int cost) {
        String id = ConfigKeys.CLIENT_ID.text(entry).orElse("");
        if (id.isBlank()) {
            throw new IllegalStateException("Client #" + index + " has no client-id");
        }
        if (!CLIENT_ID.matcher(id).matches() || !id.equals(id.strip())) {
            throw new IllegalStateException("Client #" + index + " has a client-id that is not printable ASCII"
                                                    + " without leading or trailing spaces (RFC 6749 Appendix A.1)");
        }
        String typeName = ConfigKeys.CLIENT_TYPE.text(entry).orElse("");
        Client.Type type = switch (typeName.toLowerCase(Locale.ROOT)) {
            case "public" -> Client.Type.PUBLIC;
            case "confidential" -> Client.Type.CONFIDENTIAL;
            default -> throw new IllegalStateException("Client '" + id + "' has type '" + typeName + "'; use public"
                                                               + " or confidential");
        };
        String hash = ConfigKeys.CLIENT_SECRET_HASH.text(entry).orElse("");
        if (type == Client.Type.PUBLIC && !hash.isEmpty()) {
            throw new IllegalStateException("Client '" + id + "' is public but has a secret-hash; make it"
                                                    + " confidential or remove the hash");
        }
        if (type == Client.Type.CONFIDENTIAL) {
            if (hash.isEmpty()) {
                throw new IllegalStateException("Client '" + id + "' is confidential but has no secret-hash");
            }
            if (!ClientSecrets.isWellFormed(hash)) {
                throw new IllegalStateException("Client '" + id + "' has a malformed secret-hash: expected"
                                                        + " sha256: and 64 lowercase hex digits (see the"
                                                        + " client-secret command), or a bcrypt hash such as"
                                                        + " $2a$12$...");
            }
            if (!ClientSecrets.isSha256(hash) && PasswordHasher.costOf(hash) != cost) {
                LOGGER.log(System.Logger.Level.WARNING, "Client '" + id + "' has a bcrypt hash of cost "
                        + PasswordHasher.costOf(hash) + " while app.password.bcrypt-cost is " + cost + ": a wrong"
                        + " secret takes another time than an unknown client id; rehash it");
            }
        }
        Set<String> grants = new HashSet<>(ConfigKeys.CLIENT_GRANT_TYPES.node(entry).asList(String.class)
                                                   .orElse(List.of()));
        requireKnown(id, "grant types", grants, grantTypes, "the token endpoint serves");
        if (type == Client.Type.PUBLIC && grants.contains(GrantTypes.CLIENT_CREDENTIALS)) {
            throw new IllegalStateException("Client '" + id + "' is public but allowed the client_credentials grant,"
                                                    + " which needs a client that can keep a secret (RFC 6749"
                                                    + " section 4.4); make it confidential or remove the grant");
        }
        Set<String> scopes = new HashSet<>(ConfigKeys.CLIENT_SCOPES.node(entry).asList(String.class).orElse(List.of()));
        requireKnown(id, "scopes", scopes, knownScopes, "defined in app.scopes");
        boolean demo = ConfigKeys.CLIENT_DEMO.bool(entry);
        if (demo) {
            LOGGER.log(System.Logger.Level.WARNING, "Demo client '" + id + "' is configured: its secret is public;"
                    + " remove it outside development");
        }
        return new Client(id, type, hash.isEmpty() ? null : hash, grants, scopes, demo);
    }

    private static void requireKnown(String id, String what, Set<String> given, Set<String> known, String where) {
        Set<String> unknown = new HashSet<>(given);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("Client '" + id + "' has " + what + " the service does not know: "
                                                    + unknown + "; " + where + ": " + known);
        }
    }
}
