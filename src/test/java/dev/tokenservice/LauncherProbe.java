package dev.tokenservice;

import java.lang.management.ManagementFactory;

/**
 * Stands in for the service in {@link LauncherTest}: prints the Java version, the JVM options and the arguments
 * it was started with, one a line, and exits with status 3.
 */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    /**
     * Prints what the launcher passed.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.out.println("java=" + Runtime.version().feature());
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(option -> System.out.println("jvm=" + option));
        for (String arg : args) {
            System.out.println("arg=" + arg);
        }
        System.exit(3);
    }
}
