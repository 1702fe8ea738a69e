package dev.tokenservice;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for the service in {@link LauncherTest}: prints the Java version, the JVM options and the arguments
 * it was started with, one a line, and exits with status 3.
 * <p>
 * With the environment variable {@value #MODE} it acts as a server instead, for the launcher's start-up cache:
 * {@code serve} prints {@code Token service up}, creates the file that {@link Main} creates once it is up (named by
 * {@value Main#UP_FILE_PROPERTY}) and waits for a signal to stop (SIGTERM: exit status 143, as the service);
 * {@code fail=<status>} fails to start as the service does (one line on standard error, that exit status).
 */
public final class LauncherProbe {
    /** Environment variable that selects what the probe does. */
    static final String MODE = "LAUNCHER_PROBE";

    private LauncherProbe() {
    }

    /**
     * Prints what the launcher passed, then acts as told by {@value #MODE}.
     *
     * @param args the arguments
     * @throws Exception when the up file cannot be written, or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        System.out.println("java=" + Runtime.version().feature());
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(option -> System.out.println("jvm=" + option));
        for (String arg : args) {
            System.out.println("arg=" + arg);
        }
        String mode = System.getenv().getOrDefault(MODE, "");
        if (mode.equals("serve")) {
            serve();
        } else if (mode.startsWith("fail=")) {
            System.err.println("token-service cannot start: the probe was told to fail");
            System.exit(Integer.parseInt(mode.substring("fail=".length())));
        }
        System.exit(3);
    }

    private static void serve() throws IOException, InterruptedException {
        // a little of what a server loads, so that the recording has something to keep
        String.join(",", java.util.List.of("a", "b")).lines().map(String::strip).toList();
        System.out.println("Token service up (probe)");
        String upFile = System.getProperty(Main.UP_FILE_PROPERTY);
        if (upFile != null) {
            Files.writeString(Path.of(upFile), "probe" + System.lineSeparator());
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
