package dev.tokenservice.keys;

import java.util.List;
import java.util.Random;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The published set can never hold a private member or a symmetric key, whatever the key file holds.
 */
class PublicJwksTest {
    private static final Set<String> RSA_PUBLIC = Set.of("kty", "kid", "alg", "use", "n", "e");
    private static final Set<String> EC_PUBLIC = Set.of("kty", "kid", "alg", "use", "crv", "x", "y");
    private static final List<String> PRIVATE = List.of("d", "p", "q", "dp", "dq", "qi", "k", "oth");
    private static final List<JsonObject> KEYS = List.of(KeyGenerator.generate("RS256"),
                                                         KeyGenerator.generate("ES256"),
                                                         KeyGenerator.generate("HS256"));
    private final Random random = new Random();

    @RepeatedTest(25)
    void randomSetsPublishOnlyPublicMembersOfAsymmetricKeys() {
        var keys = Json.createArrayBuilder();
        String active = null;
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            JsonObject template = KEYS.get(random.nextInt(KEYS.size()));
            JsonObjectBuilder key = Json.createObjectBuilder(template).add("kid", "key-" + i);
            // members a key file may carry besides the ones we write: they must never be published either
            key.add("note", "internal").add("key_ops",
                    Json.createArrayBuilder().add("sign").add("verify"));
            if (template.containsKey("d") && random.nextBoolean()) {
                key.add("oth", Json.createArrayBuilder());
            }
            keys.add(key);
            active = "key-" + i;
        }
        KeySet set = KeySet.parse(Json.createObjectBuilder().add("active_kid", active).add("keys", keys).build()
                                          .toString(), null);

        JsonObject published = set.publicKeys().jwks();
        assertThat(published.keySet(), is(Set.of("keys")));
        for (JsonObject key : published.getJsonArray("keys").getValuesAs(JsonObject.class)) {
            String kty = key.getString("kty");
            assertThat(kty, isIn(List.of("RSA", "EC")));
            assertThat(key.keySet(), everyItem(isIn(kty.equals("RSA") ? RSA_PUBLIC : EC_PUBLIC)));
            assertThat(key.keySet(), everyItem(not(isIn(PRIVATE))));
            assertThat(key.getString("use"), is("sig"));
            assertThat(set.key(key.getString("kid")).orElseThrow().algorithm(), is(key.getString("alg")));
        }
        long asymmetric = set.keyIds().stream()
                .filter(kid -> !set.key(kid).orElseThrow().algorithm().equals("HS256")).count();
        assertThat((long) published.getJsonArray("keys").size(), is(asymmetric));
        assertThat(published.toString().contains(KEYS.get(2).getString("k")), is(false));
    }

    @Test
    void setOfHmacKeysOnlyPublishesNothing() {
        KeySet set = KeySet.parse("{\"keys\":[" + KEYS.get(2) + "]}", null);
        assertThat(set.publicKeys().jwks().getJsonArray("keys"), is(empty()));
    }
}
