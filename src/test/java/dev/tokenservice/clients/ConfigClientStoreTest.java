package dev.tokenservice.clients;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.tokenservice.TestApp;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigClientStoreTest {
    private static final String HASH = "$2a$04$Z6k1LMrm1WNx1JvHsSECUe.xtidfjayWzI2SjAU1EO4OzudigPp5K";
    private static final Set<String> GRANTS = Set.of("password", "refresh_token", "client_credentials");
    private static final Set<String> SCOPES = Set.of("me", "items");

    @Test
    void readsPublicAndConfidentialClients() {
        ClientStore store = create(Map.of("default-client", "web",
                                          "clients.0.client-id", "web",
                                          "clients.0.type", "public",
                                          "clients.0.grant-types.0", "password",
                                          "clients.0.scopes.0", "me",
                                          "clients.1.client-id", "api",
                                          "clients.1.type", "confidential",
                                          "clients.1.secret-hash", HASH));
        Client web = store.find("web").orElseThrow();
        assertThat(web.confidential(), is(false));
        assertThat(web.grantTypes(), is(Set.of("password")));
        assertThat(web.scopes(), is(Set.of("me")));
        Client api = store.find("api").orElseThrow();
        assertThat(api.confidential(), is(true));
        assertThat(api.grantTypes(), is(Set.of()));
        assertThat(api.secretHash(), is(HASH));
        assertThat(api.toString(), is("Client[api]"));
        assertThat(store.defaultClient().orElseThrow(), is(web));
        assertThat(store.find("API").isPresent(), is(false));
    }

    @Test
    void withoutClientsTheDefaultClientIsPublicWithEveryPublicGrantAndScope() {
        ClientStore store = create(Map.of("default-client", "public-client"));
        Client client = store.defaultClient().orElseThrow();
        assertThat(client.id(), is("public-client"));
        assertThat(client.confidential(), is(false));
        // RFC 6749 §4.4: client credentials are for confidential clients only
        assertThat(client.grantTypes(), is(Set.of("password", "refresh_token")));
        assertThat(client.scopes(), is(SCOPES));
    }

    @Test
    void emptyDefaultClientSwitchesTheDefaultOff() {
        ClientStore store = create(Map.of("default-client", "",
                                          "clients.0.client-id", "web",
                                          "clients.0.type", "public"));
        assertThat(store.defaultClient().isPresent(), is(false));
        assertThat(store.find("web").isPresent(), is(true));
        assertThat(create(Map.of("default-client", "")).find("public-client").isPresent(), is(false));
    }

    @Test
    void malformedHashNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "api", "clients.0.type", "confidential",
                           "clients.0.secret-hash", "plain-secret"),
                    "Client 'api' has a malformed secret-hash");
    }

    @Test
    void sha256SecretHashesAreAcceptedAndBcryptOnesReported() {
        ClientStore fast = create(Map.of("default-client", "",
                                         "clients.0.client-id", "api", "clients.0.type", "confidential",
                                         "clients.0.secret-hash", ClientSecrets.sha256Hash("s")));
        assertThat(fast.find("api").orElseThrow().secretHash(), is(ClientSecrets.sha256Hash("s")));
        assertThat(fast.anyBcryptSecret(), is(false));
        ClientStore mixed = create(Map.of("default-client", "",
                                          "clients.0.client-id", "api", "clients.0.type", "confidential",
                                          "clients.0.secret-hash", ClientSecrets.sha256Hash("s"),
                                          "clients.1.client-id", "old", "clients.1.type", "confidential",
                                          "clients.1.secret-hash", HASH));
        assertThat(mixed.anyBcryptSecret(), is(true));
        assertFails(Map.of("clients.0.client-id", "api", "clients.0.type", "confidential",
                           "clients.0.secret-hash", "sha256:" + "A".repeat(64)),
                    "Client 'api' has a malformed secret-hash: expected sha256: and 64 lowercase hex digits");
    }

    @Test
    void duplicateIdNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "web", "clients.0.type", "public",
                           "clients.1.client-id", "web", "clients.1.type", "public"),
                    "Client 'web' is configured more than once");
    }

    @Test
    void confidentialClientWithoutSecretNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "api", "clients.0.type", "confidential"),
                    "Client 'api' is confidential but has no secret-hash");
    }

    @Test
    void publicClientWithSecretNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "web", "clients.0.type", "public", "clients.0.secret-hash", HASH),
                    "Client 'web' is public but has a secret-hash");
    }

    @Test
    void unknownGrantTypeNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "web", "clients.0.type", "public",
                           "clients.0.grant-types.0", "authorization_code"),
                    "Client 'web' has grant types the service does not know: [authorization_code]");
    }

    @Test
    void clientCredentialsAreForConfidentialClientsOnly() {
        assertFails(Map.of("clients.0.client-id", "web", "clients.0.type", "public",
                           "clients.0.grant-types.0", "client_credentials"),
                    "Client 'web' is public but allowed the client_credentials grant");
        Client job = create(Map.of("default-client", "",
                                   "clients.0.client-id", "job",
                                   "clients.0.type", "confidential",
                                   "clients.0.secret-hash", HASH,
                                   "clients.0.grant-types.0", "client_credentials",
                                   "clients.0.scopes.0", "items")).find("job").orElseThrow();
        assertThat(job.allows("client_credentials"), is(true));
        assertThat(job.scopes(), is(Set.of("items")));
    }

    @Test
    void unknownScopeNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "web", "clients.0.type", "public", "clients.0.scopes.0", "admin"),
                    "Client 'web' has scopes the service does not know: [admin]");
    }

    @Test
    void unknownTypeNamesTheClient() {
        assertFails(Map.of("clients.0.client-id", "web", "clients.0.type", "trusted"),
                    "Client 'web' has type 'trusted'; use public or confidential");
    }

    @Test
    void clientWithoutIdIsNumbered() {
        assertFails(Map.of("clients.0.type", "public"), "Client #0 has no client-id");
    }

    @Test
    void defaultClientMustExistAndBePublic() {
        assertFails(Map.of("default-client", "nobody", "clients.0.client-id", "web", "clients.0.type", "public"),
                    "app.default-client names 'nobody', which is not in app.clients");
        assertFails(Map.of("default-client", "api", "clients.0.client-id", "api", "clients.0.type", "confidential",
                           "clients.0.secret-hash", HASH),
                    "app.default-client 'api' is a confidential client; the default client must be public");
    }

    private static ClientStore create(Map<String, String> app) {
        return ConfigClientStore.create(TestApp.section("app", app), GRANTS, SCOPES, 4);
    }

    private static void assertFails(Map<String, String> app, String message) {
        Map<String, String> all = new HashMap<>(app);
        all.putIfAbsent("default-client", "");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> create(all));
        assertThat(e.getMessage(), containsString(message));
    }
}
