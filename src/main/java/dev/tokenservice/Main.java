package dev.tokenservice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.config.ConfigurationException;
import dev.tokenservice.keys.InvalidKeySetException;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Starts the token service, or runs one of its commands ({@link Commands}).
 * <p>
 * A configuration that must not be used stops start-up with one line, {@code token-service cannot start: <key>:
 * <what is wrong>}, and exit status {@value #CONFIGURATION_ERROR}; a port already in use with one line naming the
 * port and its setting, and status {@value #CANNOT_LISTEN}.
 */
public final class Main {
    /** Exit status of a configuration that must not be used. */
    static final int CONFIGURATION_ERROR = 2;
    /** Exit status when the port cannot be listened on. */
    static final int CANNOT_LISTEN = 1;
    /**
     * System property naming a file that {@code main} creates once the server is up: {@code bin/token-service} keeps
     * the start-up cache that a run trains only when that run served.
     */
    static final String UP_FILE_PROPERTY = "token-service.up-file";

    private static final System.Logger LOGGER = System.getLogger(Main.class.getName());
    private static final Path CONFIG_FILE = Path.of("application.yaml");

    private Main() {
    }

    /** Serves without arguments, else runs the command they name. */
    public static void main(String[] args) {
        if (args.length > 0) {
            // no logging set up: a command's standard output is its result
            System.exit(Commands.run(args, () -> load(CONFIG_FILE), System.out, System.err));
        }
        LogConfig.configureRuntime();
        try {
            Config written = config(CONFIG_FILE);
            boolean development = isDevelopment(written);
            Config config = development ? config(CONFIG_FILE, developmentSettings(written)) : written;
            // Helidon's metrics read their settings from the service registry's configuration, which the registry
            // would otherwise build once more from the files alone, a tenth of the start: they get this one
            Services.set(Config.class, config);
            WebServer server = start(config, development);
            String base = "http://localhost:" + server.port();
            LOGGER.log(System.Logger.Level.INFO, "Token service up at " + base + " (API docs: " + base + "/docs/)");
            String upFile = System.getProperty(UP_FILE_PROPERTY);
            if (upFile != null) {
                try {
                    Files.writeString(Path.of(upFile), base + System.lineSeparator());
                } catch (IOException e) {
                    // the launcher then keeps no start-up cache of this run, which is all it costs
                }
            }
        } catch (CannotListenException e) {
            System.err.println("token-service cannot start: " + e.getMessage());
            System.exit(CANNOT_LISTEN);
        } catch (RuntimeException e) {
            if (!isConfigurationError(e)) {
                throw e;
            }
            System.err.println("token-service cannot start: " + oneLine(e.getMessage()));
            System.exit(CONFIGURATION_ERROR);
        }
    }

    /** Whether an exception says that the configuration must not be used (rather than that the code failed). */
    static boolean isConfigurationError(RuntimeException e) {
        return e instanceof IllegalStateException || e instanceof IllegalArgumentException
                || e instanceof InvalidKeySetException || e instanceof UncheckedIOException
                || e instanceof ConfigException;
    }

    /** A message on one line, whatever it quotes: line breaks become {@code " | "}. */
    static String oneLine(String message) {
        return String.valueOf(message).strip().replace("\r", "").replace("\n", " | ");
    }

    /**
     * The configuration: environment variables and system properties over the given file (when it exists) over
     * the defaults built into the jar. {@code Config.create()} would take the file instead of the defaults rather
     * than over them, hence explicit sources. Throws {@link ConfigurationException} when the file is not valid YAML.
     */
    public static Config config(Path file) {
        return config(file, Map.of());
    }

    private static Config config(Path file, Map<String, String> overrides) {
        try {
            return Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(List.of(ConfigSources.create(overrides),
                                     ConfigSources.systemProperties(),
                                     ConfigSources::environmentVariables,
                                     ConfigSources.file(file).optional(),
                                     ConfigSources.classpath("application.yaml")))
                    .build();
        } catch (ConfigException e) {
            throw new ConfigurationException(file.toString(), yamlProblem(e));
        }
    }

    /** The configuration with the settings of development filled in ({@link #developmentSettings(Config)}). */
    static Config load(Path file) {
        Config config = config(file);
        Map<String, String> development = developmentSettings(config);
        return development.isEmpty() ? config : config(file, development);
    }

    /**
     * Development is a configuration that does not set {@code app.token.issuer}: then the issuer is this server as
     * a local browser reaches it, {@code http://localhost:<port>}, on the port it really listens on.
     */
    static boolean isDevelopment(Config config) {
        return ConfigKeys.TOKEN_ISSUER.text(config).isEmpty();
    }

    /**
     * What development adds to the configuration: the issuer from the listening port, and for port 0 a free port
     * chosen now, so that the issuer can name it. Empty when the issuer is set.
     */

    public static Map<String, String> developmentSettings(Config config) {
        if (!isDevelopment(config)) {
            return Map.of();
        }
        ConfigKeys.checkServer(config);
        int port = ConfigKeys.SERVER_PORT.integer(config);
        if (port == 0) {
            port = freePort(ConfigKeys.SERVER_HOST.string(config));
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("app.token.issuer", "http://localhost:" + port);
        settings.put("server.port", String.valueOf(port));
        return settings;
    }

    /** Builds and starts the server, with the drain of a graceful stop on SIGTERM. */
    public static WebServer start(Config config) {
        return start(config, false);
    }

    private static WebServer start(Config config, boolean development) {
        AuthServer service = AuthServer.create(config);
        warnings(config, service, development).forEach(warning -> LOGGER.log(System.Logger.Level.WARNING, warning));
        // our own hook: readiness goes down before the server stops, so that traffic drains away first
        WebServerConfig.Builder builder = WebServer.builder().shutdownHook(false);
        service.configure(builder);
        String host = ConfigKeys.SERVER_HOST.string(config);
        int port = ConfigKeys.SERVER_PORT.integer(config);
        requireFree(host, port);
        WebServer server = builder.build().start();
        if (!server.isRunning() || server.port() < 0) {
            // taken between our check and Helidon's bind
            throw new CannotListenException(host, port);
        }
        Duration drainTime = ConfigKeys.SHUTDOWN_DRAIN_TIME.duration(config);
        Shutdown.install(server, service, drainTime);
        return server;
    }

    private static List<String> warnings(Config config, AuthServer service, boolean development) {
        String issuer = ConfigKeys.TOKEN_ISSUER.text(config).orElse("");
        if (development) {
            return List.of("app.token.issuer is not set, so this is development: tokens name " + issuer
                                   + " as their issuer. Set it to the public URL of the service outside development.");
        }
        List<String> warnings = new java.util.ArrayList<>();
        URI uri = URI.create(issuer);
        if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            warnings.add("app.token.issuer " + issuer + " is plain http on a host that is not loopback: clients"
                                 + " send passwords and tokens to it unencrypted; use https");
        }
        if (!service.hasUsers()) {
            warnings.add("No users are configured (app.users, app.users-file): no one can log in with a password");
        }
        return warnings;
    }

    private static boolean isLoopback(String host) {
        if (host == null || host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            // only IP literals are resolved here (no DNS lookup at start-up)
            return literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')
                    && InetAddress.getByName(literal).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new CannotListenException(host, port);
        } catch (IOException e) {
            // anything else is for the server to report
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("server.host " + host + ": cannot listen on it: " + e.getMessage(), e);
        }
    }

    /** What SnakeYAML says is wrong with a file, on one line with its position. */
    private static String yamlProblem(ConfigException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException yaml) {
                String where = yaml.getProblemMark() == null ? ""
                        : " (line " + (yaml.getProblemMark().getLine() + 1) + ", column "
                                + (yaml.getProblemMark().getColumn() + 1) + ")";
                return "is not valid YAML: " + oneLine(yaml.getProblem()) + where;
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "cannot be read: " + oneLine(root.getMessage());
    }

    /** The port is taken: one line that names it and the setting. */
    static final class CannotListenException extends RuntimeException {
        CannotListenException(String host, int port) {
            super("server.port: port " + port + " on " + host + " is already in use; stop what uses it, or set"
                          + " another port (server.port in application.yaml, or SERVER_PORT)");
        }
    }
}
