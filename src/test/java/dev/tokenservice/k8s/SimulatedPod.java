package dev.tokenservice.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tokenservice.Main;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;

/**
 * What the token service sees in a pod of the Deployment, laid out under a temporary folder: the ConfigMap and
 * the Secrets written at their mount paths, and the configuration loaded as {@link Main} loads it with the
 * container's environment variables on top.
 */
final class SimulatedPod {
    /** Environment variables for the JVM, not for Helidon's configuration. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    /** Configuration keys whose values are files the service reads. */
    static final List<String> FILE_KEYS = List.of("app.keys.file", "app.users-file");

    private final Path root;
    private final Config inPod;

    private SimulatedPod(Path root, Config inPod) {
        this.root = root;
        this.inPod = inPod;
    }

    /**
     * Lays out the pod's files and loads its configuration.
     *
     * @param root    folder standing for the container's {@code /}
     * @param secrets contents of the Secrets the Deployment mounts, by Secret name and key
     * @return the pod
     */
    static SimulatedPod create(Path root, Map<String, Map<String, String>> secrets) {
        Container container = Manifests.container();
        Map<String, Map<String, String>> configMaps = Map.of(
                Manifests.kustomization().configMapGenerator().getFirst().name(),
                Map.of(Path.of(Manifests.configMapFile()).getFileName().toString(),
                       Manifests.configMapApplicationYaml()));
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = volume(mount.getName());
            Path target = local(root, mount.getMountPath());
            if (volume.getConfigMap() != null) {
                write(target, mount.getSubPath(), configMaps.get(volume.getConfigMap().getName()), List.of());
            } else if (volume.getSecret() != null) {
                Map<String, String> secret = secrets.get(volume.getSecret().getSecretName());
                if (secret == null) {
                    throw new AssertionError("no content for Secret " + volume.getSecret().getSecretName());
                }
                write(target, mount.getSubPath(), secret, volume.getSecret().getItems());
            } else {
                mkdirs(target);
            }
        }
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (JVM_VARIABLES.contains(var.getName())) {
                continue;
            }
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                Map<String, String> secret = secrets.get(ref.getName());
                if (secret == null || !secret.containsKey(ref.getKey())) {
                    throw new AssertionError("no content for key " + ref.getKey() + " of Secret " + ref.getName());
                }
                env.put(var.getName(), secret.get(ref.getKey()));
            } else {
                env.put(var.getName(), var.getValue());
            }
        }
        Path workingFile = local(root, container.getWorkingDir()).resolve("application.yaml");
        // Main.config is what the service runs with; the container's variables go on top, as Helidon's
        // environment variable source would put them
        Config inPod = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(EnvironmentVariables.expand(env)),
                         ConfigSources.create(Main.config(workingFile)))
                .build();
        return new SimulatedPod(root, inPod);
    }

    /**
     * The configuration as the service in the pod sees it: file paths are the pod's.
     *
     * @return configuration
     */
    Config inPod() {
        return inPod;
    }

    /**
     * The same configuration with the pod's file paths moved under the temporary root, to run the service here.
     *
     * @param overrides more keys to set
     * @return configuration
     */
    Config onThisMachine(Map<String, String> overrides) {
        Map<String, String> local = new HashMap<>(overrides);
        String workingDir = Manifests.container().getWorkingDir();
        for (String key : FILE_KEYS) {
            inPod.get(key).asString().ifPresent(file -> local.put(
                    key, local(root, Path.of(workingDir).resolve(file).toString()).toString()));
        }
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(local), ConfigSources.create(inPod))
                .build();
    }

    private static Volume volume(String name) {
        return Manifests.deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("volumeMount " + name + " has no volume"));
    }

    private static Path local(Path root, String podPath) {
        if (!podPath.startsWith("/")) {
            throw new AssertionError("not an absolute path: " + podPath);
        }
        return root.resolve(podPath.substring(1));
    }

    /**
     * Writes a volume's keys as Kubernetes projects them: all keys, or only the listed items, into the mount
     * folder; or the one key named by subPath at the mount path itself.
     */
    private static void write(Path target, String subPath, Map<String, String> data, List<KeyToPath> items) {
        Map<String, String> files = new HashMap<>();
        if (items.isEmpty()) {
            files.putAll(data);
        } else {
            for (KeyToPath item : items) {
                if (!data.containsKey(item.getKey())) {
                    throw new AssertionError("the volume wants key " + item.getKey() + " that the data lacks: "
                                                     + data.keySet());
                }
                files.put(item.getPath(), data.get(item.getKey()));
            }
        }
        try {
            if (subPath != null && !subPath.isEmpty()) {
                if (!files.containsKey(subPath)) {
                    throw new AssertionError("subPath " + subPath + " is not among " + files.keySet());
                }
                mkdirs(target.getParent());
                Files.writeString(target, files.get(subPath));
            } else {
                mkdirs(target);
                for (Map.Entry<String, String> file : files.entrySet()) {
                    Files.writeString(target.resolve(file.getKey()), file.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
