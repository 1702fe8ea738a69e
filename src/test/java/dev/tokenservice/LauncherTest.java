package dev.tokenservice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher {@code bin/token-service}, run as a user runs it, with {@link LauncherProbe} as the jar
 * ({@code TOKEN_SERVICE_JAR}): it finds a Java 21+ although the default {@code java} and {@code JAVA_HOME} may be
 * older, applies {@code bin/jvm.options} and {@code JAVA_OPTS}, and passes every argument and the exit status
 * through. On Java 25+ it keeps a start-up cache next to the jar that only a clean stop of a start that served
 * writes, atomically, so that a start that fails beside it cannot leave one that breaks the next start.
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void runsTheJarOnJava21WithTheShippedSettingsAndEveryArgument() throws Exception {
        Path jar = probeJar();
        ProcessBuilder builder = new ProcessBuilder("bin/token-service", "keys", "rotate", "--file", "a file.json",
                                                    "", "--alg=es256")
                .redirectErrorStream(true);
        builder.environment().put("TOKEN_SERVICE_JAR", jar.toString());
        builder.environment().put("JAVA_OPTS", "-Dprobe.extra=1 -Xss1m");
        olderJava().ifPresent(home -> {
            // the machine's default java is older than 21: make it the one on PATH and in JAVA_HOME
            builder.environment().put("JAVA_HOME", home.toString());
            builder.environment().put("PATH", home.resolve("bin") + ":" + System.getenv("PATH"));
        });
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out, process.waitFor(60, TimeUnit.SECONDS), is(true));

        assertThat(out, process.exitValue(), is(3));
        List<String> lines = out.lines().toList();
        int java = lines.stream().filter(line -> line.startsWith("java=")).findFirst()
                .map(line -> Integer.parseInt(line.substring(5))).orElseThrow();
        assertThat(out, java, greaterThanOrEqualTo(21));
        List<String> shipped = Files.readAllLines(Path.of("bin/jvm.options")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(option -> "jvm=" + option)
                .toList();
        assertThat("bin/jvm.options ships settings", shipped, not(empty()));
        assertThat(lines, hasItems(shipped.toArray(String[]::new)));
        assertThat(lines, hasItems("jvm=-Dprobe.extra=1", "jvm=-Xss1m"));
        assertThat(lines.stream().filter(line -> line.startsWith("arg=")).toList(),
                   is(List.of("arg=keys", "arg=rotate", "arg=--file", "arg=a file.json", "arg=", "arg=--alg=es256")));
    }

    @Test
    void readsTheJavaVersionFromTheReleaseFileWithoutStartingJava() throws Exception {
        // a java that fails when run: the release file must answer
        Path withRelease = fakeJavaHome("with-release", "exit 1");
        Files.writeString(withRelease.resolve("release"), "IMPLEMENTOR=\"someone\"\nJAVA_VERSION=\"21.0.2\"\n");
        assertThat(javaMajor(withRelease), is("21"));
        // no release file: asked from java, as before
        Path withoutRelease = fakeJavaHome("without-release", "echo '    java.specification.version = 22' >&2");
        assertThat(javaMajor(withoutRelease), is("22"));
    }

    @Test
    void twoStartsAtOnceOneFailingLeaveACacheThatTheNextStartUses() throws Exception {
        assumeJava25();
        Path jar = probeJar();
        Path cache = dir.resolve("probe.aot");

        // A: the first start after a build, which trains the cache, serves until stopped
        Path aLog = dir.resolve("a.log");
        Process a = launcher(jar, Map.of(LauncherProbe.MODE, "serve")).redirectOutput(aLog.toFile()).start();
        try {
            awaitLine(a, aLog, "Token service up");
            assertThat(Files.readString(aLog), trains(Files.readString(aLog)), is(true));

            // B, meanwhile: a start that fails (the port is taken, say), and exits with status 1
            Process b = launcher(jar, Map.of(LauncherProbe.MODE, "fail=1")).start();
            String bOut = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bOut, b.waitFor(60, TimeUnit.SECONDS), is(true));
            assertThat(bOut, b.exitValue(), is(1));
            assertThat(bOut, containsString("token-service cannot start: the probe was told to fail"));
            // nothing but A's own folder of temporary files: no cache, which A writes when it stops, and none of B's
            List<String> meanwhile = cacheFiles();
            assertThat(meanwhile.toString(), meanwhile.size(), is(1));
            assertThat(meanwhile.toString(), meanwhile.get(0).matches("probe\\.aot\\.[0-9]+\\.tmp"), is(true));
            assertNoJvmChatter(bOut);
        } finally {
            a.destroy();    // SIGTERM, as kill does
        }
        assertThat(a.waitFor(60, TimeUnit.SECONDS), is(true));
        String aOut = Files.readString(aLog);
        assertThat(aOut, a.exitValue(), is(143));
        assertThat(aOut, containsString("token-service: writing the start-up cache (first stop after a build)"));
        assertNoJvmChatter(aOut);
        assertThat(aOut, Files.size(cache), greaterThan(0L));
        assertThat("nothing of the training is left but the cache and its log", cacheFiles(),
                   is(List.of("probe.aot", "probe.aot.log")));

        // C: uses the cache; with -XX:AOTMode=on the JVM refuses to start when it cannot use it
        Process c = launcher(jar, Map.of("JAVA_OPTS", "-XX:AOTMode=on")).start();
        String cOut = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cOut, c.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(cOut, c.exitValue(), is(3));
        assertThat(cOut.lines().toList(), hasItems("jvm=-XX:AOTCache=" + cache, "jvm=-XX:AOTMode=on"));
        assertNoJvmChatter(cOut);
        assertThat(cacheFiles(), is(List.of("probe.aot", "probe.aot.log")));

        // D: options that make the cache unusable (another module graph): the JVM's complaint goes to the log
        Process d = launcher(jar, Map.of("JAVA_OPTS", "--add-modules=jdk.jfr")).start();
        String dOut = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dOut, d.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(dOut, d.exitValue(), is(3));
        assertThat(dOut.lines().toList(), hasItems("jvm=-XX:AOTCache=" + cache));
        assertNoJvmChatter(dOut);
        String log = Files.readString(dir.resolve("probe.aot.log"));
        assertThat(log, containsString("[error"));
        assertThat(log, containsString("][aot]"));
    }

    @Test
    void aStartThatFailsLeavesNoCacheAndNoTemporaryFile() throws Exception {
        assumeJava25();
        Path jar = probeJar();
        // a configuration error: status 2, as the service exits with
        Process process = launcher(jar, Map.of(LauncherProbe.MODE, "fail=2")).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out, process.waitFor(60, TimeUnit.SECONDS), is(true));

        assertThat(out, process.exitValue(), is(2));
        assertThat("it was a training start: " + out, trains(out), is(true));
        assertThat(out, containsString("token-service cannot start: the probe was told to fail"));
        assertThat(out, cacheFiles(), is(List.of()));
        assertThat(out, not(containsString("start-up cache")));
        assertNoJvmChatter(out);
    }

    private ProcessBuilder launcher(Path jar, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder("bin/token-service").redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("TOKEN_SERVICE_CDS");
        builder.environment().remove(LauncherProbe.MODE);
        builder.environment().put("TOKEN_SERVICE_JAR", jar.toString());
        builder.environment().putAll(env);
        return builder;
    }

    /** Whether the probe's JVM options say that it was a training start of the cache. */
    private static boolean trains(String probeOutput) {
        return probeOutput.lines().anyMatch(line -> line.equals("jvm=-XX:AOTMode=record")
                || line.startsWith("jvm=-XX:AOTCacheOutput="));
    }

    private static void awaitLine(Process process, Path log, String line) {
        eventually(Duration.ofSeconds(60), () -> {
            String text = Files.readString(log);
            if (!text.contains(line) && !process.isAlive()) {
                throw new IllegalStateException("the process ended without writing '" + line + "': " + text);
            }
            assertThat(text, containsString(line));
        });
    }

    /** What the JVM says about the cache stays out of the output, and no start-up fails because of it. */
    private static void assertNoJvmChatter(String out) {
        assertThat(out, not(containsString("Error occurred during initialization of VM")));
        assertThat(out, not(containsString("[error][aot]")));
        assertThat(out, not(containsString("[warning][aot]")));
        assertThat(out, not(containsString("[warning][cds]")));
        assertThat(out, not(containsString("AOTConfiguration recorded")));
    }

    /** The files of the start-up cache beside the probe jar, temporary ones included, sorted by name. */
    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("probe.aot") || name.startsWith("hs_err"))
                    .sorted()
                    .toList();
        }
    }

    private static void assumeJava25() throws Exception {
        Process process = new ProcessBuilder("bash", "-c", ". .ci/jdk.sh && java_major \"$JAVA_HOME/bin/java\"")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(out, process.waitFor(30, TimeUnit.SECONDS), is(true));
        assumeTrue(Integer.parseInt(out) >= 25, "the launcher's JDK is " + out + ": the AOT cache needs Java 25");
    }

    private Path fakeJavaHome(String name, String javaScript) throws Exception {
        Path home = dir.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + javaScript + "\n");
        assertThat(java.toFile().setExecutable(true), is(true));
        return home;
    }

    private static String javaMajor(Path home) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", ". .ci/jdk.sh && java_major \"$1\"", "bash",
                                             home.resolve("bin/java").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(out, process.waitFor(30, TimeUnit.SECONDS), is(true));
        return out;
    }

    @Test
    void readmeRunsTheServiceOnlyThroughTheLauncher() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme, not(containsString("java -jar target/token-service.jar ")));
        assertThat(readme, containsString("bin/token-service hash-password"));
        assertThat(readme, containsString("Java 21"));
    }

    private Path probeJar() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        Path jar = dir.resolve("probe.jar");
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** A JDK older than 21 on this machine, if there is one. */
    private static java.util.Optional<Path> olderJava() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return java.util.Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> home.getFileName().toString().matches(".*-(1[1-7]|8)-.*"))
                    .findFirst();
        }
    }
}
