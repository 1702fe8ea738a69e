package dev.tokenservice;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Builds services from the test configuration ({@code test-app.yaml} over the built-in defaults), each with its
 * own key set file in a temporary folder.
 */
public final class TestApp {
    private static AuthServer shared;
    private static Path sharedKeys;

    private TestApp() {
    }

    /**
     * A section of a configuration, as the service hands it to the part that reads it ({@code app.keys} to the key
     * ring): its keys are read under their full names.
     *
     * @param name   the section, such as {@code app.keys}
     * @param values its values, by their names within it
     * @return the section
     */
    public static Config section(String name, Map<String, String> values) {
        Map<String, String> full = new HashMap<>();
        values.forEach((key, value) -> full.put(name + "." + key, value));
        return Config.just(ConfigSources.create(full)).get(name);
    }

    /**
     * Test configuration with overrides; environment variables and system properties are left out so that the
     * machine cannot change what a test sees.
     *
     * @param overrides keys to set, e.g. {@code app.token.ttl}
     * @return configuration
     */
    public static Config config(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(overrides),
                         ConfigSources.classpath("test-app.yaml"),
                         ConfigSources.classpath("application.yaml"))
                .build();
    }

    /**
     * The configuration as shipped: the top-level {@code application.yaml} over the built-in defaults, with a key
     * file of its own and a free port.
     *
     * @return configuration
     */
    public static Config shippedConfig() {
        Map<String, String> overrides = new HashMap<>(Map.of("app.keys.file", newKeyFile().toString(),
                                                             "server.port", "0"));
        // as Main does: without an issuer, it is this server on the port it listens on
        overrides.putAll(Main.developmentSettings(shipped(overrides)));
        return shipped(overrides);
    }

    private static Config shipped(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(overrides),
                         ConfigSources.file(Path.of("application.yaml")),
                         ConfigSources.classpath("application.yaml"))
                .build();
    }

    /**
     * A new service with its own generated key set.
     *
     * @param overrides configuration overrides
     * @return service and the path of its key set file
     */
    public static Instance create(Map<String, String> overrides) {
        return create(overrides, Clock.systemUTC());
    }

    /**
     * A new service with its own generated key set and a clock of the test's.
     *
     * @param overrides configuration overrides
     * @param clock     time source of the service's tokens and stores
     * @return service and the path of its key set file
     */
    public static Instance create(Map<String, String> overrides, Clock clock) {
        Path keys = newKeyFile();
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("app.keys.file", keys.toString());
        return new Instance(AuthServer.create(config(all), clock), Path.of(all.get("app.keys.file")));
    }

    /**
     * The service most tests share.
     *
     * @return service
     */
    public static synchronized AuthServer shared() {
        if (shared == null) {
            Instance instance = create(Map.of());
            shared = instance.server();
            sharedKeys = instance.keyFile();
        }
        return shared;
    }

    private static synchronized AuthServer sharedService() {
        return shared;
    }

    /**
     * The key set file of the shared service.
     *
     * @return path
     */
    public static synchronized Path sharedKeyFile() {
        shared();
        return sharedKeys;
    }

    /**
     * A port that was free a moment ago, for tests that must know the port before the server starts (the issuer
     * URL names it).
     *
     * @return port
     */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Requests a token with the password grant.
     *
     * @param client   client of a running server
     * @param username username
     * @param password password
     * @return the access token
     */
    public static String token(Http1Client client, String username, String password) {
        try (var res = client.post("/token")
                .header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .submit("grant_type=password&username=" + username + "&password=" + password)) {
            if (res.status().code() != 200) {
                throw new IllegalStateException("login failed: " + res.status());
            }
            return res.as(JsonObject.class).getString("access_token");
        }
    }

    /**
     * Login protection switched off, for tests of what it would hide.
     *
     * @return protection that counts and refuses nothing
     */
    public static dev.tokenservice.protection.LoginProtection noLoginProtection() {
        Clock clock = Clock.systemUTC();
        return new dev.tokenservice.protection.LoginProtection(
                new dev.tokenservice.protection.LoginProtectionSettings(false, 5, 20, java.time.Duration.ofSeconds(1),
                                                                        java.time.Duration.ofMinutes(15),
                                                                        java.time.Duration.ofMinutes(15)),
                new dev.tokenservice.store.memory.InMemoryFailureCounters(clock, java.time.Duration.ofHours(1), 10),
                clock, reason -> { });
    }

    /**
     * {@code /observe/metrics} in Prometheus text.
     *
     * @param client client of a running server
     * @return the text
     */
    public static String metrics(Http1Client client) {
        try (var res = client.get("/observe/metrics").request()) {
            if (res.status().code() != 200) {
                throw new IllegalStateException("metrics: " + res.status());
            }
            return res.as(String.class);
        }
    }

    /**
     * The value of the first series of a meter in Prometheus text.
     *
     * @param text  the metrics text
     * @param meter regular expression of the series up to its labels, e.g. {@code tokens_issued_total\\{}
     * @return the value, 0 when the series is absent
     */
    public static double metric(String text, String meter) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?m)^" + meter + "[^}]*} ([0-9.E+-]+)$")
                .matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /**
     * Posts a form.
     *
     * @param client  client of a running server
     * @param path    path, such as {@code /token}
     * @param form    form-urlencoded body
     * @param headers further headers, as name and value pairs
     * @return the response; close it
     */
    public static io.helidon.webclient.http1.Http1ClientResponse postForm(Http1Client client, String path,
                                                                          String form, String... headers) {
        var request = client.post(path)
                .header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(io.helidon.http.HeaderNames.create(headers[i]), headers[i + 1]);
        }
        return request.submit(form);
    }

    /**
     * The status of {@code GET /users/me} with a bearer token.
     *
     * @param client client of a running server
     * @param token  access token
     * @return status code
     */
    public static int usersMe(Http1Client client, String token) {
        return status(client, "/users/me", token);
    }

    /**
     * The status of a {@code GET}, with a bearer token or without one.
     *
     * @param client client of a running server
     * @param path   path, such as {@code /items/1}
     * @param token  access token sent as {@code Authorization: Bearer}, or {@code null} for none
     * @return status code
     */
    public static int status(Http1Client client, String path, String token) {
        var request = client.get(path);
        if (token != null) {
            request.header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        try (var res = request.request()) {
            return res.status().code();
        }
    }

    /**
     * A fresh path for a key set file, in a new temporary folder.
     *
     * @return path that does not exist yet
     */
    public static Path newKeyFile() {
        try {
            return Files.createTempDirectory("token-service-test").resolve("keys").resolve("jwks.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JSON of the active key of a key set file.
     *
     * @param keyFile key set file
     * @return the key as JSON
     */
    public static JsonObject activeKey(Path keyFile) {
        try {
            JsonObject set = Json.createReader(new StringReader(Files.readString(keyFile))).readObject();
            String active = set.getString("active_kid");
            return set.getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                    .filter(key -> key.getString("kid").equals(active))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The HMAC secret of the active key of a key set file.
     *
     * @param keyFile key set file
     * @return secret bytes
     */
    public static byte[] hmacSecret(Path keyFile) {
        return Base64.getUrlDecoder().decode(activeKey(keyFile).getString("k"));
    }

    /**
     * Starts a server on a free port.
     *
     * @param server service
     * @return the running server and a client for it; close it to stop the server
     */
    public static Running start(AuthServer server) {
        WebServerConfig.Builder builder = WebServer.builder();
        server.configure(builder);
        WebServer webServer = builder.build().start();
        return new Running(webServer, newClient("http://localhost:" + webServer.port()), server);
    }

    /**
     * A client with a connection cache of its own. Use one per thread.
     * <p>
     * By default every Helidon 4.3.0 {@link Http1Client} in the JVM shares one cache of kept-alive connections
     * ({@code shareConnectionCache}), so "a client per thread" still passes one connection between threads. And
     * 4.3.0 returns a connection to that cache before it starts the connection's idle monitor (a virtual thread
     * reading one byte to notice a close: {@code Http1ConnectionCache.finishRequest}, {@code IdleInputStream}):
     * when another thread takes the connection in between and sends a request, the monitor steals the first byte
     * of its response, and the client fails with "Protocol is not HTTP: TTP" (Helidon 4.4.0 starts the monitor
     * first: helidon-io/helidon#10880). With a cache per client, a connection never leaves the thread that uses
     * the client.
     *
     * @param baseUri the server, e.g. {@code http://localhost:8080}
     * @return client
     */
    public static Http1Client newClient(String baseUri) {
        return Http1Client.builder().baseUri(baseUri).shareConnectionCache(false).build();
    }

    /**
     * A started server and a client for it.
     *
     * @param server  web server
     * @param client  client
     * @param service the service it serves, whose stores close with it
     */
    public record Running(WebServer server, Http1Client client, AuthServer service) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
            if (service != sharedService()) {
                service.stores().close();
                service.events().close();
            }
        }
    }

    /**
     * A service and its key set file.
     *
     * @param server  service
     * @param keyFile key set file
     */
    public record Instance(AuthServer server, Path keyFile) {
    }
}
