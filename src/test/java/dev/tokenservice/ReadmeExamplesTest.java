package dev.tokenservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Runs the {@code console} blocks of README.md and of the docs pages it leads to ({@link #PAGES}, in that order) with
 * bash against a server started on the shipped configuration, and compares every command's output with the one the
 * page shows. All the examples run in one bash script, so a shell variable set by an example ({@code TOKEN=$(...)})
 * is seen by every later one, on the same page or a later page. Tokens, token ids, times and dates differ from run
 * to run and are compared by shape only.
 */
class ReadmeExamplesTest {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*(?:\\.\\.\\.|(?:\\.[A-Za-z0-9_-]+){2})");
    /** A refresh token: 43 base64url characters, or a prefix and "..." in the README. */
    private static final Pattern REFRESH_TOKEN = Pattern.compile(
            "\"refresh_token\":\"(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{1,42}\\.\\.\\.)\"");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\"(exp|iat)\":[0-9]{10}");
    private static final Pattern DATE = Pattern.compile("(?m)^Date: .*$");
    private static final String MARK = "@@readme-command@@";
    /** The pages whose examples run, in this order; a page without console blocks adds none. */
    private static final List<Path> PAGES = List.of(Path.of("README.md"), Path.of("docs/api.md"),
                                                    Path.of("docs/operating.md"), Path.of("docs/kubernetes.md"));

    @Test
    void consoleExamplesShowTheRealOutput() throws Exception {
        List<Example> examples = new ArrayList<>();
        for (Path page : PAGES) {
            examples.addAll(examples(page, Files.readString(page)));
        }
        assertThat("the pages have console examples", examples.size() > 5, is(true));

        Config config = TestApp.shippedConfig();
        try (TestApp.Running running = TestApp.start(AuthServer.create(config))) {
            String base = "http://127.0.0.1:" + running.server().port();
            // the development issuer names the port the server listens on; the README's server listens on 8080
            String issuer = config.get("app.token.issuer").asString().orElseThrow();
            assertThat(issuer, is("http://localhost:" + running.server().port()));
            StringBuilder script = new StringBuilder();
            for (Example example : examples) {
                script.append("printf '\\n%s\\n' '").append(MARK).append("'\n")
                        .append(example.command().replace("http://localhost:8080", base)).append('\n');
            }
            String[] outputs = bash(script.toString()).split(Pattern.quote(MARK), -1);
            assertThat(outputs.length, is(examples.size() + 1));
            for (int i = 0; i < examples.size(); i++) {
                Example example = examples.get(i);
                assertThat(example.page() + ": " + example.command(),
                           normalize(outputs[i + 1].replace(issuer, "http://localhost:8080")),
                           is(normalize(example.output())));
            }
        }
    }

    private static List<Example> examples(Path page, String text) {
        List<Example> examples = new ArrayList<>();
        boolean inBlock = false;
        String command = null;
        StringBuilder output = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!inBlock) {
                inBlock = line.equals("```console");
                continue;
            }
            if (line.startsWith("$ ") || line.equals("```")) {
                if (command != null) {
                    examples.add(new Example(page, command, output.toString()));
                }
                command = line.startsWith("$ ") ? line.substring(2) : null;
                output.setLength(0);
                inBlock = !line.equals("```");
            } else {
                output.append(line).append('\n');
            }
        }
        return examples;
    }

    private static String bash(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("bash finished", process.waitFor(60, TimeUnit.SECONDS), is(true));
        return out;
    }

    private static String normalize(String text) {
        String normalized = text.replace("\r", "");
        normalized = JWT.matcher(normalized).replaceAll("<jwt>");
        normalized = REFRESH_TOKEN.matcher(normalized).replaceAll("\"refresh_token\":\"<refresh-token>\"");
        normalized = UUID.matcher(normalized).replaceAll("<uuid>");
        normalized = EPOCH_SECONDS.matcher(normalized).replaceAll("\"$1\":<seconds>");
        normalized = DATE.matcher(normalized).replaceAll("Date: <date>");
        return normalized.strip();
    }

    private record Example(Path page, String command, String output) {
    }
}
