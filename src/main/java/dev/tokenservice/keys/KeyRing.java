package dev.tokenservice.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.config.WatchedFile;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;

import io.helidon.config.Config;
import io.helidon.security.jwt.jwk.Jwk;

/**
 * The signing and verification keys, read from the JWK set file named by {@code app.keys.file}.
 * <p>
 * When the file is missing and {@code app.keys.generate} allows it, a set with one new key of
 * {@code app.keys.algorithm} is written there, readable by the owner only, and reused on the next start.
 * <p>
 * The file is read again every {@code app.keys.reload-interval}. A changed file — edited, replaced, or swapped
 * behind a symbolic link as Kubernetes does with a mounted Secret — becomes the current set in one step, for
 * signing and verification alike; a file that does not validate is refused and the current set stays.
 */
public final class KeyRing {
    private static final System.Logger LOGGER = System.getLogger(KeyRing.class.getName());

    private final WatchedFile<KeySet> file;
    private final PublicKeyRing publicKeys;

    private KeyRing(WatchedFile<KeySet> file, PublicKeyRing publicKeys) {
        this.file = file;
        this.publicKeys = publicKeys;
    }

    /**
     * Loads the key ring as {@code app.keys} configures it, and starts watching the file.
     *
     * @param keysConfig the {@code app.keys} node
     * @throws InvalidKeySetException when the set is missing and may not be generated, or must not be used
     */
    public static KeyRing load(Config keysConfig) {
        return load(keysConfig, SecurityEvents.NONE);
    }

    /**
     * Loads the key ring as {@code app.keys} configures it, and starts watching the file, reporting each reload or
     * refused file, and each key added or retired.
     *
     * @param keysConfig the {@code app.keys} node
     * @param events     where the events go
     * @return key ring
     * @throws InvalidKeySetException when the set is missing and may not be generated, or must not be used
     */
    public static KeyRing load(Config keysConfig, SecurityEvents events) {
        Path path = file(keysConfig);
        String activeKid = ConfigKeys.KEYS_ACTIVE_KID.text(keysConfig).orElse(null);
        if (Files.notExists(path)) {
            if (!ConfigKeys.KEYS_GENERATE.bool(keysConfig)) {
                throw new InvalidKeySetException("app.keys.file: " + path.toAbsolutePath() + " does not exist;"
                                                         + " create it (keys generate) or set app.keys.generate=true");
            }
            KeySet generated = generate(path, algorithm(keysConfig));
            LOGGER.log(System.Logger.Level.INFO, "Generated a new " + generated.signingKey().algorithm()
                    + " signing key '" + generated.signingKey().keyId() + "' in " + path);
        }
        PublicKeyRing publicKeys = new PublicKeyRing(null);
        Duration interval = ConfigKeys.KEYS_RELOAD_INTERVAL.duration(keysConfig);
        WatchedFile<KeySet> file;
        try {
            // verification first, so that no token signed with a new key meets a verifier that lacks it
            file = WatchedFile.watch("app.keys.file", path, content -> parse(path, content, activeKid),
                                     KeyRing::describe, next -> publicKeys.update(next.publicKeys()), interval,
                                     new ReloadEvents(events));
        } catch (IllegalStateException e) {
            throw new InvalidKeySetException(e.getMessage(), e);
        }
        publicKeys.update(file.current().publicKeys());
        return new KeyRing(file, publicKeys);
    }

    /**
     * Writes a new key set with one key of the given algorithm.
     *
     * @param file      target, which must not exist
     * @param algorithm HS256, RS256 or ES256
     */
    public static KeySet generate(Path file, String algorithm) {
        KeySet set = KeySet.parse("{\"keys\":[" + KeyGenerator.generate(algorithm) + "]}", null);
        write(file, set);
        return set;
    }

    /**
     * The key set file of a configuration.
     *
     * @param keysConfig the {@code app.keys} node
     */
    public static Path file(Config keysConfig) {
        return Path.of(ConfigKeys.KEYS_FILE.string(keysConfig));
    }

    /**
     * The algorithm of generated keys.
     *
     * @param keysConfig the {@code app.keys} node
     */
    public static String algorithm(Config keysConfig) {
        return ConfigKeys.KEYS_ALGORITHM.string(keysConfig).toUpperCase(java.util.Locale.ROOT);
    }

    /** The current keys. Read once per operation: a later call may see a newer set. */
    public KeySet current() {
        return file.current();
    }

    /** The public side of the ring, which changes with it: for what verifies tokens or publishes keys. */
    public PublicKeyRing publicKeys() {
        return publicKeys;
    }

    /**
     * The signing key.
     *
     * @return active key of the current set
     */
    public Jwk signingKey() {
        return current().signingKey();
    }

    /** Reads the file again and, when it changed and validates, makes it the current set. */
    public boolean reload() {
        return file.reload();
    }

    /** Writes a key set file, owner-only and atomically: readers see the old or the new content. */
    public static void write(Path file, KeySet set) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (Files.notExists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, ".jwks", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, set.toPrivateJson(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the key set file " + file, e);
        }
    }

    private static String describe(KeySet keySet) {
        return "signing key '" + keySet.signingKey().keyId() + "', keys " + keySet.keyIds();
    }

    private static KeySet parse(Path file, byte[] content, String activeKid) {
        try {
            return KeySet.parse(new String(content, StandardCharsets.UTF_8), activeKid);
        } catch (InvalidKeySetException e) {
            throw new InvalidKeySetException(file + ": " + e.getMessage(), e);
        }
    }

    /** The security events of the key set file's reloads. */
    private record ReloadEvents(SecurityEvents events) implements WatchedFile.Listener<KeySet> {
        @Override
        public void reloaded(KeySet previous, KeySet next) {
            String signing = next.signingKey().keyId();
            events.emit(SecurityEvent.success(EventTypes.KEYS_RELOAD).keyId(signing)
                                .count(next.keyIds().size()).build());
            next.keyIds().stream().filter(kid -> !previous.keyIds().contains(kid)).forEach(kid -> events.emit(
                    SecurityEvent.success(EventTypes.KEY_ADDED).keyId(kid)
                            .detail(kid.equals(signing) ? "signs new tokens" : "verifies only").build()));
            String before = previous.signingKey().keyId();
            if (!before.equals(signing) && next.keyIds().contains(before)) {
                events.emit(SecurityEvent.success(EventTypes.KEY_RETIRED).reason(Reasons.ROTATED).keyId(before)
                                    .detail("verifies only; '" + signing + "' signs new tokens").build());
            }
            previous.keyIds().stream().filter(kid -> !next.keyIds().contains(kid)).forEach(kid -> events.emit(
                    SecurityEvent.success(EventTypes.KEY_RETIRED).reason(Reasons.REMOVED).keyId(kid).build()));
        }

        @Override
        public void refused(boolean read, String problem) {
            events.emit(SecurityEvent.failure(EventTypes.KEYS_RELOAD, read ? Reasons.INVALID : Reasons.UNREADABLE)
                                .detail(problem).build());
        }
    }
}
