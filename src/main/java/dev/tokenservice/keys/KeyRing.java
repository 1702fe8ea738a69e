package dev.tokenservice.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;

import io.helidon.config.Config;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkOctet;

import jakarta.json.Json;

/**
 * The signing and verification keys, read from the JWK set file named by {@code app.keys.file}.
 * <p>
 * When the file is missing and {@code app.keys.generate} allows it, a new set with one HS256 key of 256 bits
 * is written there, readable by the owner only, and reused on the next start.
 */
public final class KeyRing {
    private static final System.Logger LOGGER = System.getLogger(KeyRing.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile KeySet current;

    private KeyRing(KeySet current) {
        this.current = current;
    }

    /**
     * Loads the key ring as {@code app.keys} configures it.
     *
     * @param keysConfig the {@code app.keys} node
     * @return key ring
     * @throws InvalidKeySetException when the set is missing and may not be generated, or must not be used
     */
    public static KeyRing load(Config keysConfig) {
        Path file = Path.of(keysConfig.get("file").asString().orElse(".keys/jwks.json"));
        String activeKid = keysConfig.get("active-kid").asString().orElse(null);
        if (Files.notExists(file)) {
            if (!keysConfig.get("generate").asBoolean().orElse(false)) {
                throw new InvalidKeySetException("The key set file " + file.toAbsolutePath() + " does not exist;"
                                                         + " create it or set app.keys.generate=true");
            }
            String kid = generate(file);
            LOGGER.log(System.Logger.Level.INFO, "Generated a new HS256 signing key '" + kid + "' in " + file);
        }
        return new KeyRing(read(file, activeKid));
    }

    /**
     * Creates a key ring over a fixed key set, for tests and tools.
     *
     * @param keySet the keys
     * @return key ring
     */
    public static KeyRing of(KeySet keySet) {
        return new KeyRing(keySet);
    }

    /**
     * The current keys. Read once per operation: a later call may see a newer set.
     *
     * @return key set
     */
    public KeySet current() {
        return current;
    }

    /**
     * The signing key.
     *
     * @return active key of the current set
     */
    public Jwk signingKey() {
        return current.signingKey();
    }

    private static KeySet read(Path file, String activeKid) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidKeySetException("Cannot read the key set file " + file + ": " + e.getMessage(), e);
        }
        try {
            return KeySet.parse(json, activeKid);
        } catch (InvalidKeySetException e) {
            throw new InvalidKeySetException(file + ": " + e.getMessage(), e);
        }
    }

    private static String generate(Path file) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String kid = newKeyId(JwkOctet.ALG_HS256);
        String json = Json.createObjectBuilder()
                .add(KeySet.ACTIVE_KID, kid)
                .add("keys", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder()
                                     .add("kty", Jwk.KEY_TYPE_OCT)
                                     .add("kid", kid)
                                     .add("alg", JwkOctet.ALG_HS256)
                                     .add("use", Jwk.USE_SIGNATURE)
                                     .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))))
                .build()
                .toString();
        writeOwnerOnly(file, json);
        return kid;
    }

    /**
     * A new key id: the algorithm, the date and random hex, so that operators can tell keys apart.
     *
     * @param alg algorithm
     * @return key id
     */
    static String newKeyId(String alg) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return alg.toLowerCase() + "-" + LocalDate.now() + "-" + HexFormat.of().formatHex(random);
    }

    /**
     * Writes a file readable by its owner only, atomically: readers see the old or the new content.
     *
     * @param file    target
     * @param content content
     */
    static void writeOwnerOnly(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (Files.notExists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".jwks", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the key set file " + file, e);
        }
    }
}
