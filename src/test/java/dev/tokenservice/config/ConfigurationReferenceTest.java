package dev.tokenservice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The configuration reference cannot drift from the code: its table of keys is what {@link ConfigKeys} declares
 * (every key, its default, its environment variable, its values and meaning), and the defaults built into the jar
 * say what the declarations say.
 */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("docs/configuration.md");
    private static final String BEGIN = "<!-- keys: generated from ConfigKeys; ConfigurationReferenceTest checks it -->\n";
    private static final String END = "<!-- end of keys -->\n";

    @Test
    void theReferenceTableIsTheDeclaredKeys() throws IOException {
        String document = Files.readString(REFERENCE);
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        assertThat(REFERENCE + " has the markers of the generated table", begin >= 0 && end > begin, is(true));
        String expected = document.substring(0, begin + BEGIN.length()) + ConfigKeys.reference() + document.substring(end);
        if (!expected.equals(document)) {
            Path written = Path.of("target/configuration.md");
            Files.writeString(written, expected);
            throw new AssertionError(REFERENCE + " differs from the keys ConfigKeys declares: the expected page is in "
                                             + written + " (cp " + written + " " + REFERENCE + ")");
        }
    }

    @Test
    void theBuiltInDefaultsAreTheDeclaredOnes() {
        Config builtIn = Config.just(ConfigSources.classpath("application.yaml"));
        List<String> differences = new ArrayList<>();
        for (Key key : ConfigKeys.declared().toList()) {
            Config node = builtIn.get(key.name());
            if (node.exists() && node.isLeaf() && key.defaultValue() != null
                    && !node.asString().get().equals(key.defaultValue())) {
                differences.add(key.name() + ": application.yaml says " + node.asString().get() + ", ConfigKeys "
                                        + key.defaultValue());
            }
        }
        assertThat(differences, empty());
    }

    @Test
    void everyKeyHasADescriptionAndAKindItsDefaultFits() {
        List<String> problems = new ArrayList<>();
        for (Key key : ConfigKeys.declared().toList()) {
            if (key.description().isBlank()) {
                problems.add(key.name() + " has no description");
            }
            if (key.defaultValue() == null && (key.shownDefault() == null || key.shownDefault().isBlank())) {
                problems.add(key.name() + " shows no default");
            }
            if (key.defaultValue() != null && !key.defaultValue().isEmpty()
                    && key.kind().problem().apply(key.defaultValue()) != null) {
                problems.add(key.name() + ": " + key.kind().problem().apply(key.defaultValue()));
            }
        }
        assertThat(problems, empty());
    }
}
