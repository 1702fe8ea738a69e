package dev.tokenservice.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.tokenservice.AuthServer;
import dev.tokenservice.Main;
import dev.tokenservice.TestDatabase;
import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.keys.InvalidKeySetException;
import dev.tokenservice.users.PasswordHasher;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import io.helidon.webserver.WebServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The manifests against the service itself: a pod of the Deployment is laid out under a temporary folder (the
 * ConfigMap and test Secrets at their mount paths, the container's environment variables over {@link Main}'s
 * configuration), and the real server runs from it.
 */
class ManifestAppContractTest {
    private static final String USER = "k8s-user";
    private static final String PASSWORD = "k8s-password-" + System.nanoTime();

    @TempDir
    static Path root;
    private static SimulatedPod pod;
    private static WebServer server;
    private static Map<String, String> storeSecret;

    private final Container container = Manifests.container();

    /**
     * The pod with test Secrets, laid out on first use: the checks that only read the manifests do not need it,
     * so they still say what is wrong when the pod cannot even be configured.
     */
    private static synchronized SimulatedPod pod() {
        if (pod == null) {
            pod = SimulatedPod.create(root, testSecrets());
        }
        return pod;
    }

    /**
     * The service running from the pod's configuration, started on first use.
     */
    private static synchronized WebServer server() {
        if (server == null) {
            // the pod listens on all interfaces at server.port; here, a free port on the loopback interface
            server = Main.start(pod().onThisMachine(Map.of("server.port", "0", "server.host", "127.0.0.1")));
        }
        return server;
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    // (a) probes

    @Test
    void everyProbePathAnswers200() throws Exception {
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                                   container.getReadinessProbe())) {
            HttpResponse<String> response = get(probe.getHttpGet().getPath());
            assertThat(probe.getHttpGet().getPath() + ": " + response.body(), response.statusCode(), is(200));
        }
    }

    @Test
    void probesServiceAndContainerUseTheServerPort() {
        int serverPort = pod().inPod().get("server.port").asInt().orElseThrow();
        assertThat(serverPort, is(8080));
        // kubelet and other pods connect to the pod IP: the server must listen on every interface
        assertThat(pod().inPod().get("server.host").asString().orElseThrow(), is("0.0.0.0"));
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                                   container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPath(), containerPort(probe.getHttpGet().getPort()), is(serverPort));
        }
        Service service = Manifests.one(Service.class);
        assertThat(containerPort(service.getSpec().getPorts().getFirst().getTargetPort()), is(serverPort));
    }

    // (b) the ConfigMap's application.yaml runs the service

    @Test
    void podConfigurationLogsUsersInWithTheConfiguredIssuer() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri("/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "grant_type=password&username=" + USER + "&password="
                                        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body(), response.statusCode(), is(200));
        String token = Json.createReader(new StringReader(response.body())).readObject().getString("access_token");
        JsonObject claims = Json.createReader(new StringReader(new String(
                Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))).readObject();
        String configMapIssuer = configMap().get("app.token.issuer").asString().orElseThrow();
        assertThat(claims.getString("iss"), is(configMapIssuer));
        assertThat(claims.getString("sub"), is(USER));
    }

    @Test
    void podRunsOnThePostgresqlStoreOfItsSecret() throws Exception {
        assertThat(pod().inPod().get("app.store.url").asString().orElseThrow(), startsWith("jdbc:postgresql://"));
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri("/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode(), is(200));
        assertThat(ready.body(), containsString("\"store\":\"postgresql\""));
        assertThat(ready.body(), containsString("\"storeConnected\":true"));
    }

    @Test
    void exampleStoreSecretIsRefused(@TempDir Path dir) {
        Map<String, Map<String, String>> secrets = new HashMap<>(testSecrets());
        secrets.put("token-service-store", exampleSecrets().get("token-service-store").getStringData());
        SimulatedPod example = SimulatedPod.create(dir, secrets);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                                               () -> AuthServer.create(example.onThisMachine(Map.of())));
        assertThat(e.getMessage(), startsWith("app.store.url: cannot connect to jdbc:postgresql://<host>:5432/"));
        // the placeholder password is never shown
        assertThat(e.getMessage(), not(containsString("<password>")));
    }

    @Test
    void podConfigurationHasNoDemoUsersAndGeneratesNoKeys() {
        Config config = pod().inPod();
        assertThat(config.get("app.users").asNodeList().orElse(List.of()), empty());
        assertThat(Manifests.configMapApplicationYaml(), not(containsString("password-hash")));
        assertThat(config.get("app.keys.generate").asBoolean().orElseThrow(), is(false));
        // RFC 8414 §2: the issuer is an https URL
        assertThat(config.get("app.token.issuer").asString().orElseThrow(), startsWith("https://"));
    }

    // (c) every key the manifests set is one the service reads

    @Test
    void everyEnvironmentVariableNamesAKnownConfigKey() {
        Set<String> known = knownKeys();
        for (EnvVar var : container.getEnv()) {
            if (SimulatedPod.JVM_VARIABLES.contains(var.getName())) {
                continue;
            }
            assertThat(var.getName() + " has no configuration alias", EnvironmentVariables.shouldAlias(var.getName()),
                       is(true));
            String key = configKey(var.getName());
            assertThat(var.getName() + " -> " + key + " is not a key the service reads: " + known,
                       isKnown(known, key), is(true));
        }
    }

    @Test
    void everyConfigMapKeyIsAKnownConfigKey() {
        Set<String> known = knownKeys();
        List<String> keys = configMap().traverse().filter(Config::isLeaf).map(c -> c.key().toString()).toList();
        assertThat(keys, not(empty()));
        for (String key : keys) {
            assertThat(key + " is not a key the service reads: " + known, isKnown(known, key), is(true));
        }
    }

    @Test
    void javaToolOptionsSizeTheHeapFromTheMemoryLimit() throws Exception {
        String options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst().orElseThrow().getValue();
        long limit = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")).longValueExact();
        // MaxRAM stands for the container limit that the JVM reads from its cgroup
        ProcessBuilder java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                                                 "-XX:MaxRAM=" + limit, "-XX:+PrintFlagsFinal", "-version")
                .redirectErrorStream(true);
        java.environment().put("JAVA_TOOL_OPTIONS", options);
        Process process = java.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(output, process.exitValue(), is(0));

        Matcher percent = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(options);
        assertThat(percent.find(), is(true));
        long expected = limit * Long.parseLong(percent.group(1)) / 100;
        long maxHeap = flag(output, "MaxHeapSize");
        // the JVM rounds the heap to its alignment
        assertThat("MaxHeapSize " + maxHeap + " for " + expected, Math.abs(maxHeap - expected) <= 4 * 1024 * 1024,
                   is(true));
        assertThat(output, containsString("ExitOnOutOfMemoryError                   = true"));
    }

    // (d) the mounts are where the configuration points

    @Test
    void configMapIsMountedWhereTheServiceReadsItsConfiguration() {
        VolumeMount mount = mountOf(volume(v -> v.getConfigMap() != null));
        // Main reads ./application.yaml; the image's WORKDIR is /app
        assertThat(container.getWorkingDir(), is("/app"));
        assertThat(mount.getMountPath(), is(container.getWorkingDir() + "/application.yaml"));
        assertThat(mount.getSubPath(), is(Path.of(Manifests.configMapFile()).getFileName().toString()));
        assertThat(mount.getReadOnly(), is(true));
        assertThat(volume(v -> v.getConfigMap() != null).getConfigMap().getName(),
                   is(Manifests.kustomization().configMapGenerator().getFirst().name()));
    }

    @Test
    void configuredFilesAreInTheMountedSecrets() {
        Map<String, Secret> examples = exampleSecrets();
        for (String key : SimulatedPod.FILE_KEYS) {
            String file = pod().inPod().get(key).asString().orElseThrow(() -> new AssertionError(key + " is not set"));
            Path path = Path.of(container.getWorkingDir()).resolve(file).normalize();
            VolumeMount mount = container.getVolumeMounts().stream()
                    .filter(m -> Path.of(m.getMountPath()).equals(path.getParent()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(key + "=" + path + " is in no mounted folder"));
            // a folder, not subPath: Kubernetes updates the files of a changed Secret only then
            assertThat(key, mount.getSubPath(), nullValue());
            assertThat(key, mount.getReadOnly(), is(true));
            Volume volume = volume(v -> v.getName().equals(mount.getName()));
            assertThat(key + " must come from a Secret", volume.getSecret(), notNullValue());
            List<KeyToPath> items = volume.getSecret().getItems();
            KeyToPath item = items.stream().filter(i -> i.getPath().equals(path.getFileName().toString()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(key + ": " + path.getFileName() + " is not among the items "
                                                                  + items));
            // the example shows the operator the key names the Deployment wants
            Secret example = examples.get(volume.getSecret().getSecretName());
            assertThat("example of Secret " + volume.getSecret().getSecretName(), example, notNullValue());
            assertThat(example.getStringData().keySet(), is(Set.of(item.getKey())));
        }
    }

    @Test
    void rootFileSystemIsReadOnlyAndTmpIsWritable() {
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem(), is(true));
        Volume tmp = volume(v -> v.getEmptyDir() != null);
        assertThat(mountOf(tmp).getMountPath(), is("/tmp"));
        assertThat(tmp.getEmptyDir().getSizeLimit(), notNullValue());
    }

    // the example Secret is only an example

    @Test
    void exampleKeySetIsRefused(@TempDir Path dir) {
        Map<String, Map<String, String>> secrets = new HashMap<>(testSecrets());
        secrets.put("token-service-keys", exampleSecrets().get("token-service-keys").getStringData());
        SimulatedPod example = SimulatedPod.create(dir, secrets);
        assertThrows(InvalidKeySetException.class, () -> AuthServer.create(example.onThisMachine(Map.of())));
    }

    @Test
    void exampleUsersAreRefused(@TempDir Path dir) {
        Map<String, Map<String, String>> secrets = new HashMap<>(testSecrets());
        secrets.put("token-service-users", exampleSecrets().get("token-service-users").getStringData());
        SimulatedPod example = SimulatedPod.create(dir, secrets);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                                               () -> AuthServer.create(example.onThisMachine(Map.of())));
        assertThat(e.getMessage(), containsString("malformed password-hash"));
    }

    /**
     * Secrets as an operator would create them: a fresh HS256 key, one user with a bcrypt hash.
     */
    private static Map<String, Map<String, String>> testSecrets() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String jwks = Json.createObjectBuilder()
                .add("keys", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                                                   .add("kty", "oct")
                                                                   .add("kid", "k8s-test")
                                                                   .add("alg", "HS256")
                                                                   .add("use", "sig")
                                                                   .add("k", Base64.getUrlEncoder().withoutPadding()
                                                                           .encodeToString(secret))))
                .build()
                .toString();
        String users = """
                users:
                  - username: "%s"
                    full-name: "K8s User"
                    email: "k8s@example.test"
                    password-hash: "%s"
                    disabled: false
                    scopes: ["me", "items"]
                """.formatted(USER, new PasswordHasher(PasswordHasher.MIN_COST).hash(PASSWORD));
        return Map.of("token-service-keys", Map.of("jwks.json", jwks),
                      "token-service-users", Map.of("users.yaml", users),
                      "token-service-store", storeSecret());
    }

    /**
     * The Secret of the shared store, as an operator would create it: a real PostgreSQL database of the tests.
     */
    private static synchronized Map<String, String> storeSecret() {
        if (storeSecret == null) {
            Map<String, String> database = TestDatabase.newDatabase();
            storeSecret = Map.of("url", database.get("app.store.url"),
                                 "username", database.get("app.store.username"),
                                 "password", database.get("app.store.password"));
        }
        return storeSecret;
    }

    /**
     * The ConfigMap's application.yaml alone.
     */
    private static Config configMap() {
        return Config.just(ConfigSources.create(Manifests.configMapApplicationYaml(), MediaTypes.APPLICATION_X_YAML));
    }

    private static Map<String, Secret> exampleSecrets() {
        return Manifests.examples().stream()
                .map(doc -> (Secret) doc.resource())
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    }

    /**
     * Every value the built-in defaults define, and the documented optional ones.
     */
    /** The keys the built-in defaults list; {@link ConfigKeys} knows the rest (every key under app). */
    private static Set<String> knownKeys() {
        Set<String> known = new TreeSet<>();
        Config defaults = Config.just(ConfigSources.classpath("application.yaml"));
        defaults.traverse().filter(Config::isLeaf).forEach(node -> known.add(node.key().toString()));
        return known;
    }

    private static boolean isKnown(Set<String> known, String key) {
        return known.contains(key) || ConfigKeys.isKnown(key);
    }

    /**
     * The configuration key Helidon makes of an environment variable name.
     */
    private static String configKey(String name) {
        Map<String, String> aliases = EnvironmentVariables.expand(Map.of(name, "x"));
        return aliases.keySet().stream()
                .filter(alias -> !alias.equals(name) && alias.equals(alias.toLowerCase()))
                .findFirst()
                .orElseThrow();
    }

    private int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    private Volume volume(Predicate<Volume> which) {
        List<Volume> found = Manifests.deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(which).toList();
        assertThat(found.size(), is(1));
        return found.getFirst();
    }

    private VolumeMount mountOf(Volume volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("volume " + volume.getName() + " is not mounted"));
    }

    private static long flag(String printFlagsFinal, String name) {
        Matcher m = Pattern.compile("\\s" + name + "\\s+=\\s+(\\d+)").matcher(printFlagsFinal);
        assertThat(name + " in\n" + printFlagsFinal, m.find(), is(true));
        return Long.parseLong(m.group(1));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server().port() + path);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                      HttpResponse.BodyHandlers.ofString());
    }
}
