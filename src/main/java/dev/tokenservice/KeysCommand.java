package dev.tokenservice;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.tokenservice.config.HumanDuration;
import dev.tokenservice.keys.InvalidKeySetException;
import dev.tokenservice.keys.KeyGenerator;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.keys.KeySet;

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
    private final String program;

    /**
     * Creates the command.
     *
     * @param defaultFile      {@code app.keys.file}
     * @param defaultAlgorithm {@code app.keys.algorithm}
     * @param tokenLifetime    the longest time an access token stays valid: {@code app.token.ttl} plus the
     *                         verifier's clock skew
     * @param program          how the user runs this program, for the commands it suggests
     *                         ({@code bin/token-service})
     */
    public KeysCommand(Path defaultFile, String defaultAlgorithm, Duration tokenLifetime, Clock clock,
                       String program) {
        this.defaultFile = defaultFile;
        this.defaultAlgorithm = defaultAlgorithm;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
        this.program = program;
    }

    private static final String USAGE = """

            usage: keys generate [--alg RS256|ES256|HS256] [--file FILE]
                   keys rotate [--alg RS256|ES256|HS256] [--file FILE]
                   keys remove KID [--file FILE]
                   keys --help""";

    /**
     * What the command does, its options with their defaults, and examples.
     *
     * @param program how the user runs this program
     * @param file    the default key set file
     */
    public static String help(String program, String file, String alg) {
        return """
                Usage: %1$s keys generate|rotate [--alg ALG] [--file FILE]
                       %1$s keys remove KID [--file FILE]

                Manages the JWK set file (RFC 7517) that the service signs and verifies tokens with. Running
                services read the file again every app.keys.reload-interval and switch to a new signing key
                without a restart.

                  keys generate [--alg ALG] [--file FILE]
                      Writes a new key set with one signing key. Never overwrites a file; the file is owner-only.
                  keys rotate [--alg ALG] [--file FILE]
                      Adds a new signing key. The old keys stay to verify the tokens they signed; the command
                      says when they may be removed.
                  keys remove KID [--file FILE]
                      Removes a key that no longer signs.

                Options:
                  --alg ALG    RS256, ES256 or HS256, in any case (default: app.keys.algorithm, %3$s)
                  --file FILE  the key set file (default: app.keys.file, %2$s)
                  --help, -h   this text

                Examples:
                  %1$s keys generate --file /secure/jwks.json
                  %1$s keys rotate --alg es256 --file /secure/jwks.json
                  %1$s keys remove rs256-2026-11-27-5b446447 --file /secure/jwks.json
                """.formatted(program, file, alg);
    }

    /**
     * Runs the command.
     *
     * @param args arguments after {@code keys}
     */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        try {
            Path file = Path.of(option(rest, "--file", defaultFile.toString()));
            String alg = option(rest, "--alg", defaultAlgorithm).toUpperCase(Locale.ROOT);
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
                                    + safe + " (in " + HumanDuration.of(tokenLifetime) + "), for example:");
                old.forEach(kid -> out.println("  " + program + " keys remove " + kid + " --file "
                                                       + shellWord(file.toString())));
            }
            case "remove" -> {
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("keys remove needs exactly one key id" + USAGE);
                }
                KeySet after = read(file).withoutKey(rest.getFirst());
                KeyRing.write(file, after);
                out.println("Removed '" + rest.getFirst() + "' from " + file + "; keys left: " + after.keyIds());
            }
            default -> throw new IllegalArgumentException(
                    (action.isEmpty() ? "which command?" : "unknown command '" + action + "'") + USAGE);
            }
            return 0;
        } catch (IllegalArgumentException | InvalidKeySetException e) {
            err.println("keys: " + e.getMessage());
            return 2;
        }
    }

    private static KeySet read(Path file) {
        if (Files.notExists(file)) {
            throw new IllegalArgumentException(file + " does not exist; keys generate makes a new key set");
        }
        try {
            return KeySet.parse(Files.readString(file), null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A word as a shell reads it back: quoted when it holds anything but safe characters. */
    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./:@%+=,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String option(List<String> args, String name, String defaultValue) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(name + "=")) {
                return args.remove(i).substring(name.length() + 1);
            }
        }
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
