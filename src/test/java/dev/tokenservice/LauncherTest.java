package dev.tokenservice;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The launcher {@code bin/token-service}, run as a user runs it, with {@link LauncherProbe} as the jar
 * ({@code TOKEN_SERVICE_JAR}): it finds a Java 21+ although the default {@code java} and {@code JAVA_HOME} may be
 * older, applies {@code bin/jvm.options} and {@code JAVA_OPTS}, and passes every argument and the exit status
 * through.
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
