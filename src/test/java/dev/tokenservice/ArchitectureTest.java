package dev.tokenservice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * The packages show the architecture (the picture is in docs/architecture.md): the composition root alone on top,
 * then the HTTP adapters, the domain rules, the implementations of the store, its interfaces, and at the bottom the
 * OAuth vocabulary, the configuration registry and the HTTP plumbing, which every layer may use and which use no
 * other package of the service. Imports run downwards only (the store's implementations are reached by the
 * composition root alone), and no package is in a cycle with another. Checked twice: on the compiled classes
 * (ArchUnit), and on the source's imports, which also show a constant that the compiler copied into a class.
 */
class ArchitectureTest {
    /** The layers, top first: a package may import its own layer's packages and those of the layers below. */
    private static final List<Layer> LAYERS = List.of(
            new Layer("composition root", "dev.tokenservice"),
            new Layer("HTTP adapters", "dev.tokenservice.endpoint", "dev.tokenservice.resource",
                      "dev.tokenservice.discovery", "dev.tokenservice.ops"),
            new Layer("domain", "dev.tokenservice.token", "dev.tokenservice.clients", "dev.tokenservice.users",
                      "dev.tokenservice.keys", "dev.tokenservice.protection"),
            new Layer("store implementations", "dev.tokenservice.store.memory", "dev.tokenservice.store.postgres"),
            new Layer("store", "dev.tokenservice.store"),
            new Layer("vocabulary and plumbing", "dev.tokenservice.oauth", "dev.tokenservice.events",
                      "dev.tokenservice.config", "dev.tokenservice.web", "dev.tokenservice.background"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.tokenservice(?:\\.[a-z]\\w*)*)\\.[A-Z]",
                                                          Pattern.MULTILINE);

    @Test
    void noPackageIsInACycle() {
        slices().matching("dev.tokenservice.(**)").should().beFreeOfCycles().check(classes());
    }

    @Test
    void importsRunDownTheLayers() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers();
        for (Layer layer : LAYERS) {
            layers = layers.layer(layer.name()).definedBy(layer.packages().stream()
                                                                  .map(name -> name.equals("dev.tokenservice")
                                                                          || name.equals("dev.tokenservice.store")
                                                                          ? name : name + "..")
                                                                  .toArray(String[]::new));
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = LAYERS.subList(0, i).stream().map(Layer::name).toList();
            Layer layer = LAYERS.get(i);
            if (i == 0) {
                layers = layers.whereLayer(layer.name()).mayNotBeAccessedByAnyLayer();
            } else if (layer.name().equals("store implementations")) {
                layers = layers.whereLayer(layer.name()).mayOnlyBeAccessedByLayers("composition root");
            } else {
                List<String> callers = new ArrayList<>(above);
                if (layer.name().equals("vocabulary and plumbing")) {
                    callers.add(LAYERS.getLast().name());
                }
                layers = layers.whereLayer(layer.name()).mayOnlyBeAccessedByLayers(callers.toArray(String[]::new));
            }
        }
        layers.check(classes());
    }

    @Test
    void theSourcesImportsRunDownTheLayersAndFormNoCycle() throws IOException {
        Map<String, Set<String>> imports = sourceImports();
        List<String> wrong = new ArrayList<>();
        imports.forEach((from, targets) -> targets.forEach(to -> {
            if (!allowed(from, to)) {
                wrong.add(from + " imports " + to);
            }
        }));
        assertThat(wrong, empty());
        assertThat(cycles(imports), empty());
    }

    private static boolean allowed(String from, String to) {
        int fromLayer = layerOf(from);
        int toLayer = layerOf(to);
        Layer target = LAYERS.get(toLayer);
        if (target.name().equals("store implementations") && fromLayer != 0) {
            return from.startsWith("dev.tokenservice.store.");
        }
        if (target.name().equals("vocabulary and plumbing") && fromLayer == toLayer) {
            return from.equals(to);
        }
        return toLayer >= fromLayer;
    }

    private static int layerOf(String pkg) {
        int best = -1;
        int length = -1;
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String name : LAYERS.get(i).packages()) {
                if ((pkg.equals(name) || pkg.startsWith(name + ".")) && name.length() > length) {
                    best = i;
                    length = name.length();
                }
            }
        }
        if (best < 0) {
            throw new AssertionError(pkg + " is in no layer: add it to ArchitectureTest.LAYERS");
        }
        return best;
    }

    /** Each package of src/main and the packages of the service it imports. */
    private static Map<String, Set<String>> sourceImports() throws IOException {
        Map<String, Set<String>> imports = new HashMap<>();
        Path root = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> targets = imports.computeIfAbsent(pkg, key -> new TreeSet<>());
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(pkg)) {
                        targets.add(matcher.group(1));
                    }
                }
            }
        }
        return imports;
    }

    /** The packages on a cycle of imports, each cycle once as the path that closes it. */
    private static List<String> cycles(Map<String, Set<String>> imports) {
        List<String> found = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : imports.keySet()) {
            walk(start, imports, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void walk(String pkg, Map<String, Set<String>> imports, List<String> path, Set<String> done,
                             List<String> found) {
        int at = path.indexOf(pkg);
        if (at >= 0) {
            found.add(String.join(" -> ", path.subList(at, path.size())) + " -> " + pkg);
            return;
        }
        if (!done.add(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : imports.getOrDefault(pkg, Set.of())) {
            walk(next, imports, path, done, found);
        }
        path.removeLast();
    }

    private static JavaClasses classes() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tokenservice");
    }

    private record Layer(String name, List<String> packages) {
        Layer(String name, String... packages) {
            this(name, List.of(packages));
        }
    }
}
