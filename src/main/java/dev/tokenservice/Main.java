package dev.tokenservice;

import java.io.Console;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tokenservice.keys.InvalidKeySetException;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.keys.KeysCommand;
import dev.tokenservice.token.TokenSettings;
import dev.tokenservice.users.HashPasswordCommand;
import dev.tokenservice.users.PasswordHasher;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * Starts the token service, or runs one of its commands.
 * <ul>
 *     <li>{@code java -jar token-service.jar}: serve</li>
 *     <li>{@code java -jar token-service.jar hash-password}: print the bcrypt hash of a password</li>
 *     <li>{@code java -jar token-service.jar keys generate|rotate|remove}: manage the key set file</li>
 * </ul>
 */
public final class Main {
    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Entry point.
     *
     * @param args none to serve, or a command
     */
    public static void main(String[] args) {
        Config config = config(Path.of("application.yaml"));
        if (args.length > 0) {
            // no logging set up: a command's standard output is its result
            System.exit(command(args, config));
        }
        LogConfig.configureRuntime();
        WebServer server;
        try {
            server = start(config);
        } catch (IllegalStateException | IllegalArgumentException | InvalidKeySetException
                 | UncheckedIOException e) {
            // configuration errors: say what to fix, without a stack trace
            System.err.println("token-service cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        LOGGER.log(System.Logger.Level.INFO, "Token service up at http://localhost:" + server.port());
    }

    /**
     * The configuration: environment variables and system properties over the given file (when it exists) over
     * the defaults built into the jar. {@code Config.create()} would take the file instead of the defaults rather
     * than over them, hence explicit sources.
     *
     * @param file the deployment's {@code application.yaml}
     * @return configuration
     */
    public static Config config(Path file) {
        return Config.create(ConfigSources.file(file).optional(), ConfigSources.classpath("application.yaml"));
    }

    /**
     * Builds and starts the server.
     *
     * @param config root configuration
     * @return started server
     */
    public static WebServer start(Config config) {
        AuthServer service = AuthServer.create(config);
        // our own hook: readiness goes down before the server stops, so that traffic drains away first
        WebServerConfig.Builder builder = WebServer.builder().shutdownHook(false);
        service.configure(builder);
        WebServer server = builder.build().start();
        Duration drainTime = config.get("app.shutdown.drain-time").as(Duration.class).orElse(Duration.ofSeconds(5));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, service, drainTime),
                                                        "graceful-shutdown"));
        return server;
    }

    /**
     * Stops on SIGTERM: readiness fails first, the server keeps answering for the drain time while load
     * balancers and Kubernetes endpoints stop sending traffic, then stops accepting, and requests in flight
     * finish within {@code server.shutdown-grace-period}.
     */
    private static void stop(WebServer server, AuthServer service, Duration drainTime) {
        service.readiness().drain();
        System.err.println("token-service: shutting down, readiness is down; draining for " + drainTime);
        try {
            Thread.sleep(drainTime);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        service.stores().close();
        System.err.println("token-service: stopped");
    }

    private static int command(String[] args, Config config) {
        if (args.length == 1 && args[0].equals("hash-password")) {
            return new HashPasswordCommand(new PasswordHasher(AuthServer.bcryptCost(config)))
                    .run(terminal(), System.in, System.out, System.err);
        }
        if (args[0].equals("keys")) {
            Config keys = config.get("app.keys");
            return new KeysCommand(KeyRing.file(keys), KeyRing.algorithm(keys),
                                   TokenSettings.create(config.get("app.token")).validity(), Clock.systemUTC())
                    .run(List.of(args).subList(1, args.length), System.out, System.err);
        }
        System.err.println("usage: java -jar token-service.jar [hash-password | keys generate|rotate|remove ...]");
        return 2;
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
