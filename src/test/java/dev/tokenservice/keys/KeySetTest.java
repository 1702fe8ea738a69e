package dev.tokenservice.keys;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeySetTest {
    private static final String SECRET_256 = b64(new byte[32]);

    @Test
    void singleHmacKeyIsTheSigningKey() {
        KeySet set = KeySet.parse(set(oct("a", SECRET_256)), null);
        assertThat(set.signingKey().keyId(), is("a"));
        assertThat(set.signingKey().algorithm(), is("HS256"));
        assertThat(set.publicKeys().verificationKey("a").isPresent(), is(true));
    }

    @Test
    void activeKidOfTheSetOrOfConfigurationChoosesTheSigningKey() {
        String json = "{\"active_kid\":\"b\",\"keys\":[" + oct("a", SECRET_256) + "," + oct("b", SECRET_256) + "]}";
        assertThat(KeySet.parse(json, null).signingKey().keyId(), is("b"));
        assertThat(KeySet.parse(json, "a").signingKey().keyId(), is("a"));
        assertThat(KeySet.parse(json, null).publicKeys().verificationKey("a").isPresent(), is(true));
    }

    @Test
    void refusesHmacKeyShorterThan256Bits() {
        assertRefused(set(oct("short", b64(new byte[31]))), "'short' is an HMAC key of 248 bits");
    }

    @Test
    void refusesDuplicateKid() {
        assertRefused(set(oct("a", SECRET_256) + "," + oct("a", SECRET_256)), "'a' appears more than once");
    }

    @Test
    void refusesUnknownOrMissingAlgorithm() {
        assertRefused(set("{\"kty\":\"oct\",\"kid\":\"x\",\"alg\":\"HS512\",\"k\":\"" + SECRET_256 + "\"}"),
                      "'x' has algorithm 'HS512'");
        assertRefused(set("{\"kty\":\"oct\",\"kid\":\"y\",\"k\":\"" + SECRET_256 + "\"}"), "'y' has algorithm ''");
    }

    @Test
    void refusesKeyWithoutKid() {
        assertRefused(set("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + SECRET_256 + "\"}"), "has no \"kid\"");
    }

    @Test
    void refusesTypeThatDoesNotMatchTheAlgorithm() {
        assertRefused(set("{\"kty\":\"RSA\",\"kid\":\"x\",\"alg\":\"HS256\",\"k\":\"" + SECRET_256 + "\"}"),
                      "'x' has \"kty\": \"RSA\" but HS256 needs \"oct\"");
    }

    @Test
    void refusesEncryptionKeys() {
        assertRefused(set("{\"kty\":\"oct\",\"kid\":\"x\",\"alg\":\"HS256\",\"use\":\"enc\",\"k\":\"" + SECRET_256
                                  + "\"}"), "only \"sig\" keys");
    }

    @Test
    void refusesRsaKeyShorterThan2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        RSAPublicKey pub = (RSAPublicKey) generator.generateKeyPair().getPublic();
        String rsa = "{\"kty\":\"RSA\",\"kid\":\"weak\",\"alg\":\"RS256\",\"n\":\"" + b64(unsigned(pub.getModulus()))
                + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}";
        assertRefused(set(rsa), "'weak' is an RSA key of 1024 bits");
    }

    @Test
    void refusesEcKeyOnAnotherCurve() {
        assertRefused(set("{\"kty\":\"EC\",\"kid\":\"p384\",\"alg\":\"ES256\",\"crv\":\"P-384\",\"x\":\"AA\","
                                  + "\"y\":\"AA\"}"), "'p384' is on curve 'P-384'");
    }

    @Test
    void refusesSetWithSeveralKeysAndNoActiveKid() {
        assertRefused(set(oct("a", SECRET_256) + "," + oct("b", SECRET_256)), "names no signing key");
    }

    @Test
    void refusesActiveKidThatIsNotInTheSet() {
        assertRefused("{\"active_kid\":\"c\",\"keys\":[" + oct("a", SECRET_256) + "]}",
                      "signing key 'c' is not in the key set");
    }

    @Test
    void refusesPublicOnlySigningKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPublicKey pub = (RSAPublicKey) generator.generateKeyPair().getPublic();
        String rsa = "{\"kty\":\"RSA\",\"kid\":\"pub\",\"alg\":\"RS256\",\"n\":\"" + b64(unsigned(pub.getModulus()))
                + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}";
        assertRefused(set(rsa), "'pub' has no private part");
    }

    @Test
    void refusesWhatIsNotAKeySet() {
        assertRefused("not json", "not a JSON object");
        assertRefused("{\"keys\":[]}", "no \"keys\" array");
        assertRefused("{\"keys\":[\"x\"]}", "Key #0 is not a JSON object");
        assertRefused(set("{\"kty\":\"oct\",\"kid\":\"x\",\"alg\":\"HS256\",\"k\":\"***\"}"), "not base64url");
    }

    @Test
    void privateJsonKeepsEveryKeyAndNamesTheActiveOne() {
        String json = "{\"active_kid\":\"b\",\"keys\":[" + oct("a", SECRET_256) + "," + oct("b", SECRET_256) + "]}";
        KeySet reparsed = KeySet.parse(KeySet.parse(json, null).toPrivateJson(), null);
        assertThat(reparsed.keyIds(), is(java.util.List.of("a", "b")));
        assertThat(reparsed.signingKey().keyId(), is("b"));
    }

    private static void assertRefused(String json, String message) {
        InvalidKeySetException e = assertThrows(InvalidKeySetException.class, () -> KeySet.parse(json, null));
        assertThat(e.getMessage(), containsString(message));
    }

    private static String set(String keys) {
        return "{\"keys\":[" + keys + "]}";
    }

    private static String oct(String kid, String k) {
        return "{\"kty\":\"oct\",\"kid\":\"" + kid + "\",\"alg\":\"HS256\",\"k\":\"" + k + "\"}";
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
