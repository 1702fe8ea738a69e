package dev.tokenservice;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * A signature of any length or content that does not verify is an invalid token: 401 {@code invalid_token} on the
 * protected routes, {@code active: false} on introspection, never a 5xx, whatever Helidon's JWK does with a
 * signature it cannot even check (an RSA signature of another length than the modulus throws there).
 */
class MalformedSignatureTest {
    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "HS256"})
    void aSignatureOfAnyLengthThatDoesNotVerifyIsAnInvalidToken(String algorithm) {
        TestApp.Instance instance = TestApp.create(Map.of("app.keys.algorithm", algorithm));
        try (TestApp.Running running = TestApp.start(instance.server()); CapturedLog log = new CapturedLog()) {
            Http1Client client = running.client();
            String token = TestApp.token(client, "alice", "alice-password");
            signatures(token).forEach((name, forged) -> {
                assertInvalid(name, client, "/users/me", forged);
                assertInvalid(name, client, "/items/1", forged);
                try (Http1ClientResponse res = client.post("/introspect")
                        .header(HeaderNames.AUTHORIZATION, AbstractLifecycleTest.RESOURCE_SERVER)
                        .header(HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .submit("token=" + URLEncoder.encode(forged, StandardCharsets.UTF_8))) {
                    assertThat(name, res.status(), is(Status.OK_200));
                    assertThat(name, res.as(JsonObject.class), is(AbstractLifecycleTest.INACTIVE));
                }
            });
            assertThat(log.problems(), is(empty()));
            // the real one still works
            try (Http1ClientResponse res = client.get("/users/me").header(HeaderNames.AUTHORIZATION,
                                                                         "Bearer " + token).request()) {
                assertThat(res.status(), is(Status.OK_200));
            }
        }
    }

    /** The token with its signature replaced: shorter, longer, padded with zero bytes, empty of meaning. */
    static Map<String, String> signatures(String token) {
        int dot = token.lastIndexOf('.');
        String signed = token.substring(0, dot + 1);
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        Map<String, byte[]> variants = new LinkedHashMap<>();
        variants.put("cut in half", Arrays.copyOf(signature, signature.length / 2));
        variants.put("one byte short", Arrays.copyOf(signature, signature.length - 1));
        variants.put("one byte", new byte[] {1});
        variants.put("a leading zero byte", concat(new byte[1], signature));
        variants.put("a trailing zero byte", concat(signature, new byte[1]));
        variants.put("twice as long", concat(signature, signature));
        variants.put("all zero", new byte[signature.length]);
        variants.put("all ones", filled(signature.length, (byte) 0xFF));
        variants.put("2 KB", filled(2048, (byte) 0x5A));
        Map<String, String> tokens = new LinkedHashMap<>();
        variants.forEach((name, bytes) -> tokens.put(
                name, signed + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
        return tokens;
    }

    private static void assertInvalid(String name, Http1Client client, String path, String token) {
        try (Http1ClientResponse res = client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .request()) {
            assertThat(name + " on " + path, res.status(), is(Status.UNAUTHORIZED_401));
            assertThat(name + " on " + path, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                       startsWith("Bearer error=\"invalid_token\""));
            assertThat(name + " on " + path, res.as(JsonObject.class).getString("error"), is("invalid_token"));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
