package dev.tokenservice.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Reads the manifests in {@code k8s/} into the Kubernetes API types (fabric8's models, generated from the
 * Kubernetes OpenAPI schema), strictly: a field the API type does not have is an error, as the API server's
 * strict field validation ({@code kubectl apply --validate=strict}) would make it.
 */
final class Manifests {
    /** The folder with the manifests, relative to the project (Surefire runs the tests from there). */
    static final Path DIR = Path.of(System.getProperty("basedir", "."), "k8s");
    /** Example manifests: checked, but not part of the kustomization. */
    static final Path EXAMPLES = DIR.resolve("examples");
    static final Path EXAMPLE_SECRETS = EXAMPLES.resolve("secrets.example.yaml");

    /** The API types these manifests may use, by {@code apiVersion} and {@code kind}. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final ObjectMapper STRICT = YAMLMapper.builder()
            // fabric8's models keep unknown fields in an "additionalProperties" map (@JsonAnySetter); without it,
            // an unknown field is an error
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // replicas: "2" is an error for the API server too
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private Manifests() {
    }

    /**
     * One YAML document of a file.
     *
     * @param file     where it comes from
     * @param index    its position in the file
     * @param resource the parsed resource
     */
    record Doc(Path file, int index, HasMetadata resource) {
        @Override
        public String toString() {
            return DIR.relativize(file) + (index > 0 ? "#" + index : "") + " " + resource.getKind() + "/"
                    + resource.getMetadata().getName();
        }
    }

    /**
     * The part of kustomize's {@code Kustomization} these manifests use; anything else in kustomization.yaml is an
     * error, so a misspelled field cannot be silently ignored here either.
     */
    record Kustomization(String apiVersion, String kind, String namespace, List<String> resources,
                         List<Generator> configMapGenerator, List<Image> images) {
        record Generator(String name, List<String> files, GeneratorOptions options) {
        }

        record GeneratorOptions(Map<String, String> labels) {
        }

        record Image(String name, String newName, String newTag, String digest) {
        }
    }

    static Kustomization kustomization() {
        try {
            return parseKustomization(Files.readString(DIR.resolve("kustomization.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a kustomization strictly.
     *
     * @param yaml the kustomization.yaml text
     * @return the kustomization
     * @throws AssertionError naming the problem
     */
    static Kustomization parseKustomization(String yaml) {
        try {
            return STRICT.readValue(yaml, Kustomization.class);
        } catch (IOException e) {
            throw new AssertionError("kustomization.yaml: " + e.getMessage(), e);
        }
    }

    /**
     * Every resource the kustomization applies, as written (before kustomize names the ConfigMap).
     *
     * @return documents
     */
    static List<Doc> applied() {
        return kustomization().resources().stream().flatMap(name -> read(DIR.resolve(name)).stream()).toList();
    }

    /**
     * The example Secrets.
     *
     * @return documents
     */
    static List<Doc> examples() {
        return read(EXAMPLE_SECRETS);
    }

    /**
     * The only resource of a kind among the applied ones.
     */
    static <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = applied().stream().map(Doc::resource).filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " in k8s/, found " + found.size());
        }
        return found.getFirst();
    }

    static Deployment deployment() {
        return one(Deployment.class);
    }

    static Container container() {
        List<Container> containers = deployment().getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, found " + containers.size());
        }
        return containers.getFirst();
    }

    /**
     * The text of the file that the ConfigMap generator turns into {@code application.yaml}.
     *
     * @return YAML text
     */
    static String configMapApplicationYaml() {
        Path file = DIR.resolve(configMapFile());
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String configMapFile() {
        List<String> files = kustomization().configMapGenerator().getFirst().files();
        if (files.size() != 1) {
            throw new AssertionError("expected one file in the ConfigMap generator, found " + files);
        }
        return files.getFirst();
    }

    /**
     * Reads every document of a YAML file.
     *
     * @param file YAML file
     * @return documents
     * @throws AssertionError naming the file and the problem when a document is not a valid resource
     */
    static List<Doc> read(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<HasMetadata> resources = parseAll(yaml, file.toString());
        List<Doc> docs = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            docs.add(new Doc(file, i, resources.get(i)));
        }
        return docs;
    }

    /**
     * Parses every document of a YAML stream into its API type.
     *
     * @param yaml   YAML, possibly several documents
     * @param source name for messages
     * @return resources
     * @throws AssertionError naming the source and the problem when a document is not a valid resource
     */
    static List<HasMetadata> parseAll(String yaml, String source) {
        List<HasMetadata> resources = new ArrayList<>();
        try (var docs = STRICT.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            int i = 0;
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    i++;
                    continue; // an empty document, e.g. a leading ---
                }
                resources.add(parse(doc, source + " document #" + i++));
            }
        } catch (IOException e) {
            throw new AssertionError(source + ": " + e.getMessage(), e);
        }
        return resources;
    }

    /**
     * Parses one resource into the API type that its {@code apiVersion} and {@code kind} name.
     *
     * @param doc    the document
     * @param source name for messages
     * @return the resource
     * @throws AssertionError naming the source and the problem
     */
    static HasMetadata parse(JsonNode doc, String source) {
        if (!(doc instanceof ObjectNode object)) {
            throw new AssertionError(source + ": not a mapping");
        }
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<? extends HasMetadata> api = Optional.ofNullable(KINDS.get(type)).orElseThrow(
                () -> new AssertionError(source + ": " + type + " is not an API type these manifests may use: "
                                                 + KINDS.keySet()));
        HasMetadata resource;
        try {
            resource = STRICT.treeToValue(object, api);
        } catch (IOException e) {
            throw new AssertionError(source + " (" + type + "): " + e.getMessage(), e);
        }
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null
                || resource.getMetadata().getName().isBlank()) {
            throw new AssertionError(source + " (" + type + "): metadata.name is required");
        }
        return resource;
    }

    /**
     * Every YAML file under {@code k8s/}.
     *
     * @return files, relative to {@code k8s/}
     */
    static List<String> allYamlFiles() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .map(f -> DIR.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
