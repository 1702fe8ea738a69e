package dev.tokenservice.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.tokenservice.k8s.Manifests.Doc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every manifest in {@code k8s/} is a valid Kubernetes API object, with no field the API does not know; the
 * kustomization names them all. The negative tests prove that the checks catch a misspelled field.
 */
class ManifestSchemaTest {
    static Stream<String> manifestFiles() {
        List<String> files = new ArrayList<>(Manifests.kustomization().resources());
        files.add(Manifests.DIR.relativize(Manifests.EXAMPLE_SECRETS).toString());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestFiles")
    void everyManifestIsAValidApiObjectWithNoUnknownField(String file) {
        List<Doc> docs = Manifests.read(Manifests.DIR.resolve(file));
        assertThat(file + " has no resource", docs, not(empty()));
    }

    @Test
    void everyYamlFileIsAResourceTheConfigOrAnExample() {
        Manifests.Kustomization k = Manifests.kustomization();
        Set<String> accounted = new TreeSet<>(k.resources());
        accounted.add("kustomization.yaml");
        accounted.add(Manifests.configMapFile());
        Set<String> examples = new TreeSet<>(Manifests.allYamlFiles());
        examples.removeAll(accounted);
        assertThat("YAML files in k8s/ that the kustomization does not use must be examples under examples/",
                   examples, everyItem(startsWith("examples/")));
        assertThat(examples, is(Set.of("examples/secrets.example.yaml")));
    }

    @Test
    void kustomizationIsValid() {
        Manifests.Kustomization k = Manifests.kustomization();
        assertThat(k.apiVersion(), is("kustomize.config.k8s.io/v1beta1"));
        assertThat(k.kind(), is("Kustomization"));
        for (String resource : k.resources()) {
            assertThat(resource + " is listed in kustomization.yaml", Files.isRegularFile(
                    Manifests.DIR.resolve(resource)), is(true));
        }
        assertThat(k.configMapGenerator().size(), is(1));
        assertThat(Files.isRegularFile(Manifests.DIR.resolve(Manifests.configMapFile())), is(true));
        assertThat(k.images().size(), is(1));
        assertThat(k.images().getFirst().name(), is("token-service"));
    }

    @Test
    void secretsAreCreatedByTheOperatorNotApplied() {
        assertThat(Manifests.applied().stream().map(Doc::resource).filter(Secret.class::isInstance).toList(),
                   empty());
        assertThat(Manifests.examples().stream().map(Doc::resource).allMatch(Secret.class::isInstance), is(true));
    }

    // --- the checks fail on broken manifests

    @Test
    void misspelledFieldIsRejected() throws IOException {
        String deployment = Files.readString(Manifests.DIR.resolve("deployment.yaml"));
        Manifests.parseAll(deployment, "deployment.yaml"); // the original is fine
        String broken = deployment.replace("readinessProbe:", "readinessProbes:");
        assertThat(broken, not(deployment));

        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parseAll(broken, "broken"));
        assertThat(e.getMessage(), containsString("Unrecognized field \"readinessProbes\""));
        assertThat(e.getMessage(), containsString("io.fabric8.kubernetes.api.model.Container"));
    }

    @Test
    void withoutTheStrictReaderTheModelsWouldKeepTheTypo() throws IOException {
        // why Manifests turns @JsonAnySetter off: fabric8 keeps unknown fields instead of refusing them
        String broken = Files.readString(Manifests.DIR.resolve("deployment.yaml"))
                .replace("readinessProbe:", "readinessProbes:");
        Deployment lenient = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                .readValue(broken, Deployment.class);
        assertThat(lenient.getSpec().getTemplate().getSpec().getContainers().getFirst().getAdditionalProperties()
                           .keySet(), is(Set.of("readinessProbes")));
    }

    @Test
    void misspelledFieldDeepInsideIsRejected() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                spec:
                  ports:
                    - port: 80
                      targetPrt: http
                """;
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parseAll(yaml, "in memory"));
        assertThat(e.getMessage(), containsString("Unrecognized field \"targetPrt\""));
    }

    @Test
    void wrongTypeIsRejected() {
        String yaml = """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: p
                spec:
                  minAvailable: 1
                  selector:
                    matchLabels: ["not", "a", "map"]
                """;
        AssertionError list = assertThrows(AssertionError.class, () -> Manifests.parseAll(yaml, "in memory"));
        assertThat(list.getMessage(), containsString("from Array value"));
        String quoted = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: h
                spec:
                  maxReplicas: "6"
                """;
        AssertionError string = assertThrows(AssertionError.class, () -> Manifests.parseAll(quoted, "in memory"));
        assertThat(string.getMessage(), containsString("Cannot coerce String value (\"6\")"));
    }

    @Test
    void unknownApiVersionIsRejected() {
        String yaml = """
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata:
                  name: p
                """;
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parseAll(yaml, "in memory"));
        assertThat(e.getMessage(), containsString("policy/v1beta1/PodDisruptionBudget is not an API type"));
    }

    @Test
    void duplicateKeyIsRejected() {
        String yaml = """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: a
                  name: b
                """;
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parseAll(yaml, "in memory"));
        assertThat(e.getMessage(), containsString("Duplicate field 'name'"));
    }

    @Test
    void misspelledKustomizationFieldIsRejected() throws IOException {
        String kustomization = Files.readString(Manifests.DIR.resolve("kustomization.yaml"));
        String broken = kustomization.replace("configMapGenerator:", "configMapGenerators:");
        assertThat(broken, not(kustomization));
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parseKustomization(broken));
        assertThat(e.getMessage(), containsString("Unrecognized field \"configMapGenerators\""));
    }

    // --- what kustomize really makes of it

    @Test
    void kustomizeBuildsValidObjects() throws Exception {
        String rendered = kubectlKustomize();
        List<HasMetadata> resources = Manifests.parseAll(rendered, "kubectl kustomize k8s");
        Set<String> kinds = new TreeSet<>();
        resources.forEach(r -> kinds.add(r.getKind()));
        assertThat(kinds, is(new TreeSet<>(Set.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler",
                                                  "NetworkPolicy", "PodDisruptionBudget", "Service",
                                                  "ServiceAccount"))));

        ConfigMap config = resources.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .findFirst().orElseThrow();
        assertThat(config.getMetadata().getName(), startsWith("token-service-config-"));
        assertThat(config.getData().get("application.yaml"), is(Manifests.configMapApplicationYaml()));

        Deployment deployment = resources.stream().filter(Deployment.class::isInstance)
                .map(Deployment.class::cast).findFirst().orElseThrow();
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
        // the generated, content-hashed name: a new config rolls the pods
        assertThat(volume.getConfigMap().getName(), is(config.getMetadata().getName()));
        Manifests.Kustomization.Image image = Manifests.kustomization().images().getFirst();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage(),
                   is(image.newName() + ":" + image.newTag()));
    }

    /**
     * Renders the kustomization with the kustomize built into kubectl, when kubectl is installed.
     */
    private static String kubectlKustomize() throws Exception {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", Manifests.DIR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
        } catch (IOException e) {
            Assumptions.abort("kubectl is not installed: " + e.getMessage());
            return null;
        }
        try {
            assertThat("kubectl kustomize timed out", process.waitFor(60, TimeUnit.SECONDS), is(true));
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat("kubectl kustomize k8s failed:\n" + output, process.exitValue(), is(0));
            return output;
        } finally {
            process.destroy();
            Files.deleteIfExists(out);
        }
    }
}
