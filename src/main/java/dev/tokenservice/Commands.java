package dev.tokenservice;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.store.StoreSettings;
import dev.tokenservice.store.postgres.PostgresStore;
import dev.tokenservice.token.TokenSettings;
import dev.tokenservice.users.PasswordHasher;

import io.helidon.config.Config;

/**
 * The command line: {@code help}, {@code hash-password}, {@code client-secret} and {@code keys}, each with a help text
 * ({@code --help}, {@code -h}) that exits 0. The configuration is read only by a command that needs it, so that
 * help works whatever the configuration holds.
 */
final class Commands {
    /** How the launcher runs the program, passed by {@code bin/token-service} so that hints can be run as printed. */
    static final String PROGRAM_PROPERTY = "token-service.command";

    private static final Set<String> HELP = Set.of("help", "--help", "-h");

    private Commands() {
    }

    /**
     * Runs a command.
     *
     * @param args   the arguments, at least one
     */
    static int run(String[] args, Supplier<Config> config, PrintStream out, PrintStream err) {
        List<String> rest = List.of(args).subList(1, args.length);
        boolean help = rest.stream().anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
        try {
            switch (args[0]) {
            case "help", "--help", "-h" -> {
                out.print(rest.isEmpty() ? usage() : helpOf(rest.getFirst(), config));
                return 0;
            }
            case "hash-password" -> {
                if (help) {
                    out.print(helpOf("hash-password", config));
                    return 0;
                }
                if (!rest.isEmpty()) {
                    err.println("hash-password takes no arguments, not " + rest + "; hash-password --help tells more");
                    return 2;
                }
                return new HashPasswordCommand(new PasswordHasher(AuthServer.bcryptCost(config.get())))
                        .run(terminal(), System.in, out, err);
            }
            case "client-secret" -> {
                if (help) {
                    out.print(helpOf("client-secret", config));
                    return 0;
                }
                if (!rest.isEmpty()) {
                    err.println("client-secret takes no arguments, not " + rest + "; client-secret --help tells more");
                    return 2;
                }
                return ClientSecretCommand.run(out, err);
            }
            case "keys" -> {
                if (help || (!rest.isEmpty() && HELP.contains(rest.getFirst()))) {
                    out.print(helpOf("keys", config));
                    return 0;
                }
                Config keys = config.get().get("app.keys");
                return new KeysCommand(KeyRing.file(keys), KeyRing.algorithm(keys),
                                       TokenSettings.create(config.get().get("app.token")).validity(),
                                       Clock.systemUTC(), program())
                        .run(rest, out, err);
            }
            case "events" -> {
                if (help) {
                    out.print(helpOf("events", config));
                    return 0;
                }
                StoreSettings store = StoreSettings.create(config.get().get("app.store"));
                return new EventsCommand(store.url().isEmpty() ? null : () -> PostgresStore.eventReader(store),
                                         Clock.systemUTC())
                        .run(rest, out, err);
            }
            default -> {
                err.println("token-service: unknown command '" + args[0] + "'");
                err.print(usage());
                return 2;
            }
            }
        } catch (RuntimeException e) {
            if (!Main.isConfigurationError(e)) {
                throw e;
            }
            err.println("token-service " + args[0] + ": " + Main.oneLine(e.getMessage()));
            return Main.CONFIGURATION_ERROR;
        }
    }

    /** How the user runs this program: what the launcher says, else {@code java -jar} and this jar. */
    static String program() {
        String launcher = System.getProperty(PROGRAM_PROPERTY);
        if (launcher != null && !launcher.isBlank()) {
            return launcher;
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toString().endsWith(".jar") ? "java -jar " + jar : "token-service";
        } catch (Exception e) {
            return "token-service";
        }
    }

    private static String usage() {
        return """
                Usage: %1$s [COMMAND] [--help]

                An OAuth2 token service (RFC 6749) and JWT-protected API. Without a command it serves: it reads
                ./application.yaml over the defaults built into the jar, environment variables over both
                (APP_TOKEN_TTL=PT10M sets app.token.ttl), and listens on server.port (default 8080).

                Commands:
                  hash-password   print the bcrypt hash of a user's password
                  client-secret   make a secret for a confidential client and print it with its hash
                  keys            manage the key set file: keys generate, keys rotate, keys remove
                  events          the security events of every replica, from the PostgreSQL store
                  help [COMMAND]  this text, or what a command does (also: COMMAND --help)

                Examples:
                  %1$s
                  %1$s keys generate --file /secure/jwks.json
                  printf '%%s\\n' "$PASSWORD" | %1$s hash-password
                """.formatted(program());
    }

    private static String helpOf(String command, Supplier<Config> config) {
        return switch (command) {
        case "hash-password" -> """
                Usage: %1$s hash-password

                Reads a password and prints its bcrypt hash at app.password.bcrypt-cost (%2$s), for the
                password-hash of a user (app.users, or the users file) or the secret-hash of a confidential
                client. On a terminal it asks twice, without echo; otherwise it reads the first line of
                standard input. A password over 72 bytes in UTF-8 is refused: bcrypt would ignore the rest.

                Options:
                  --help, -h   this text

                Examples:
                  %1$s hash-password
                  printf '%%s\\n' "$PASSWORD" | %1$s hash-password
                """.formatted(program(), orDefault(() -> String.valueOf(AuthServer.bcryptCost(config.get())), "12"));
        case "client-secret" -> """
                Usage: %1$s client-secret

                Makes a new secret for a confidential client, 256 random bits (43 base64url characters), and
                prints it with its hash:
                  client-secret: <give this to the client; it is shown only now>
                  secret-hash: "sha256:<64 hex digits>"   (paste into the client's app.clients entry)
                A secret this long needs no slow hash: the service checks it with one SHA-256 and a constant-time
                comparison, so a resource server can introspect at a high rate. bcrypt secret-hash values from
                hash-password keep working.

                Options:
                  --help, -h   this text

                Example:
                  %1$s client-secret
                """.formatted(program());
        case "keys" -> KeysCommand.help(program(),
                                        orDefault(() -> KeyRing.file(config.get().get("app.keys")).toString(),
                                                  ".keys/jwks.json"),
                                        orDefault(() -> KeyRing.algorithm(config.get().get("app.keys")), "RS256"));
        case "events" -> EventsCommand.help(program());
        default -> usage();
        };
    }

    /** A configured value for a help text; the default when the configuration cannot be read. */
    private static String orDefault(Supplier<String> value, String defaultValue) {
        try {
            return "now " + value.get();
        } catch (RuntimeException e) {
            return "default " + defaultValue;
        }
    }

    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            // JDK 22+ returns a Console even when standard input is a pipe; isTerminal tells them apart
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console;
        }
    }
}
