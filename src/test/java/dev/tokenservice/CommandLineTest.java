package dev.tokenservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The command line as a user meets it: help for each command with status 0, even when the configuration is
 * broken, and a usage error with status 2.
 */
class CommandLineTest {
    @TempDir
    Path workDir;

    @Test
    void helpInEveryFormExitsZero() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("help"))) {
            ServiceProcess.Result result = run(args);
            assertThat(args + ": " + result.output(), result.status(), is(0));
            assertThat(result.output(), startsWith("Usage: "));
            assertThat(result.output(), containsString("hash-password"));
            assertThat(result.output(), containsString("keys"));
        }
    }

    @Test
    void eachCommandHasAHelpTextWithItsOptionsDefaultsAndAnExample() throws Exception {
        for (List<String> args : List.of(List.of("keys", "--help"), List.of("keys", "-h"), List.of("help", "keys"),
                                         List.of("keys", "rotate", "--help"))) {
            ServiceProcess.Result result = run(args);
            assertThat(args + ": " + result.output(), result.status(), is(0));
            assertThat(result.output(), containsString("--alg ALG    RS256, ES256 or HS256, in any case"
                                                               + " (default: app.keys.algorithm, now RS256)"));
            assertThat(result.output(), containsString("keys remove KID [--file FILE]"));
            assertThat(result.output(), containsString("Examples:"));
        }
        ServiceProcess.Result secretHelp = run(List.of("client-secret", "--help"));
        assertThat(secretHelp.output(), secretHelp.status(), is(0));
        assertThat(secretHelp.output(), containsString("secret-hash: \"sha256:<64 hex digits>\""));
        ServiceProcess.Result secret = run(List.of("client-secret"));
        assertThat(secret.output(), secret.status(), is(0));
        assertThat(secret.output(), secret.output().matches(
                "(?s).*client-secret: [A-Za-z0-9_-]{43}\nsecret-hash: \"sha256:[0-9a-f]{64}\"\n.*"), is(true));
        ServiceProcess.Result hash = run(List.of("hash-password", "--help"));
        assertThat(hash.output(), hash.status(), is(0));
        assertThat(hash.output(), containsString("bcrypt hash at app.password.bcrypt-cost (now 12)"));
    }

    @Test
    void helpWorksWhenTheConfigurationIsBroken() throws Exception {
        Files.writeString(workDir.resolve("application.yaml"), "app: [\n");
        ServiceProcess.Result result = run(List.of("keys", "--help"));
        assertThat(result.output(), result.status(), is(0));
        assertThat(result.output(), containsString("(default: app.keys.algorithm, default RS256)"));
        ServiceProcess.Result keys = run(List.of("keys", "generate"));
        assertThat(keys.output(), keys.status(), is(2));
        assertThat(keys.messages().toString(), keys.messages(),
                   is(List.of("token-service keys: application.yaml: is not valid YAML: expected the node content,"
                                      + " but found '<stream end>' (line 2, column 1)")));
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithStatus2() throws Exception {
        ServiceProcess.Result result = run(List.of("serve-please"));
        assertThat(result.status(), is(2));
        assertThat(result.output(), containsString("unknown command 'serve-please'"));
        assertThat(result.output(), containsString("Usage: "));
    }

    @Test
    void keysAcceptAlgorithmNamesInAnyCaseAndRotateHintsARunnableRemove() throws Exception {
        Path file = workDir.resolve("my keys/jwks.json");
        ServiceProcess.Result generate = run(List.of("keys", "generate", "--alg", "es256", "--file", file.toString()));
        assertThat(generate.output(), generate.status(), is(0));
        assertThat(generate.output(), containsString("with the ES256 signing key"));
        ServiceProcess.Result rotate = run(List.of("keys", "rotate", "--alg=Rs256", "--file", file.toString()));
        assertThat(rotate.output(), rotate.status(), is(0));
        assertThat(rotate.output(), containsString("(in 30 min 5 s)"));
        String hint = rotate.output().lines().filter(line -> line.contains("keys remove")).findFirst().orElseThrow()
                .strip();
        assertThat(hint, containsString(" --file '" + file + "'"));

        // the hint, run as printed (through bash, as a user pastes it), removes the old key
        String program = hint.substring(0, hint.indexOf(" keys remove"));
        String command = hint.replace(program, "\"$0\" -cp \"$1\" " + Main.class.getName());
        Process process = new ProcessBuilder("bash", "-c", command,
                                             ProcessHandle.current().info().command().orElseThrow(),
                                             System.getProperty("java.class.path"))
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(output, process.waitFor(), is(0));
        assertThat(output, containsString("Removed 'es256-"));
    }

    private ServiceProcess.Result run(List<String> args) throws Exception {
        return ServiceProcess.run(workDir, Map.of(), args.toArray(String[]::new));
    }
}
