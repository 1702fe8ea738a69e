package dev.tokenservice.keys;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar token-service.jar keys ...}: manages the key set file that running services reload.
 * <ul>
 *     <li>{@code keys generate [--alg RS256|ES256|HS256] [--file F]}: a new set with one key; never overwrites</li>
 *     <li>{@code keys rotate [--alg A] [--file F]}: adds a new key and makes it the signing key; the others stay
 *     to verify the tokens they signed, and the command says when they may go</li>
 *     <li>{@code keys remove KID [--file F]}: removes a key that no longer signs</li>
 * </ul>
 * The file defaults to {@code app.keys.file}, the algorithm to {@code app.keys.algorithm}.
 */
public final class KeysCommand {
    private final Path defaultFile;
    private final String defaultAlgorithm;
    private final Duration tokenLifetime;
    private final Clock clock;

    /**
     * Creates the command.
     *
     * @param defaultFile      {@code app.keys.file}
     * @param defaultAlgorithm {@code app.keys.algorithm}
     * @param tokenLifetime    the longest time an access token stays valid: {@code app.token.ttl} plus the
     *                         verifier's clock skew
     * @param clock            time source
     */
    public KeysCommand(Path defaultFile, String defaultAlgorithm, Duration tokenLifetime, Clock clock) {
        this.defaultFile = defaultFile;
        this.defaultAlgorithm = defaultAlgorithm;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
    }

    /**
     * Runs the command.
     *
     * @param args arguments after {@code keys}
     * @param out  standard output
     * @param err  standard error
     * @return exit status
     */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        try {
            Path file = Path.of(option(rest, "--file", defaultFile.toString()));
            String alg = option(rest, "--alg", defaultAlgorithm);
            String action = rest.isEmpty() ? "" : rest.removeFirst();
            switch (action) {
            case "generate" -> {
                noMore(rest);
                if (Files.exists(file)) {
                    throw new IllegalArgumentException(file + " exists; use keys rotate to add a key to it");
                }
                KeySet set = KeyRing.generate(file, alg);
                out.println("Wrote " + file + " with the " + alg + " signing key '" + set.signingKey().keyId() + "'");
            }
            case "rotate" -> {
                noMore(rest);
                KeySet before = read(file);
                KeySet after = before.withSigningKey(KeyGenerator.generate(alg));
                KeyRing.write(file, after);
                Instant safe = clock.instant().plus(tokenLifetime).truncatedTo(ChronoUnit.SECONDS);
                List<String> old = before.keyIds();
                out.println("New " + alg + " signing key '" + after.signingKey().keyId() + "' in " + file + ".");
                out.println("Running services switch to it within app.keys.reload-interval.");
                out.println("Tokens signed by " + old + " stay valid until they expire: remove those keys after "
                                    + safe + " (" + tokenLifetime + " from now), for example:");
                old.forEach(kid -> out.println("  java -jar token-service.jar keys remove " + kid));
            }
            case "remove" -> {
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("keys remove needs exactly one key id");
                }
                KeySet after = read(file).withoutKey(rest.getFirst());
                KeyRing.write(file, after);
                out.println("Removed '" + rest.getFirst() + "' from " + file + "; keys left: " + after.keyIds());
            }
            default -> throw new IllegalArgumentException(
                    "usage: keys generate|rotate|remove KID [--alg ES256|RS256|HS256] [--file FILE]");
            }
            return 0;
        } catch (IllegalArgumentException | InvalidKeySetException e) {
            err.println("keys: " + e.getMessage());
            return 2;
        }
    }

    private static KeySet read(Path file) {
        try {
            return KeySet.parse(Files.readString(file), null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String option(List<String> args, String name, String defaultValue) {
        int index = args.indexOf(name);
        if (index < 0) {
            return defaultValue;
        }
        if (index == args.size() - 1) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        args.remove(index);
        return args.remove(index);
    }

    private static void noMore(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected arguments " + args);
        }
    }
}
