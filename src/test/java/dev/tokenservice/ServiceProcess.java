package dev.tokenservice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Main} in a process of its own, started the way it is deployed: a working directory that may hold an
 * {@code application.yaml}, and environment variables.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("Token service up at http://localhost:(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final int port;

    private ServiceProcess(Process process) throws Exception {
        this.process = process;
        CompletableFuture<Integer> started = new CompletableFuture<>();
        // read the whole output, so that the process never blocks on a full pipe
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                                StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    output.add(line);
                    Matcher matcher = STARTED.matcher(line);
                    if (matcher.find()) {
                        started.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process was stopped
            }
            started.completeExceptionally(new IllegalStateException("the service stopped before it listened: "
                                                                            + output));
        });
        this.port = started.get(60, TimeUnit.SECONDS);
    }

    /**
     * Starts the service on a free port of 127.0.0.1.
     *
     * @param workDir working directory
     * @param env     environment variables to add
     * @return the running service
     * @throws Exception when it does not start
     */
    static ServiceProcess start(Path workDir, Map<String, String> env) throws Exception {
        return new ServiceProcess(builder(workDir, env, List.of()).start());
    }

    /**
     * Starts the service with SIGINT handled as a terminal would have it (the default action), whatever this
     * process inherited: a shell ignores SIGINT for its background jobs, and a JVM then ignores Ctrl-C too.
     *
     * @param workDir working directory
     * @param env     environment variables to add
     * @return the running service
     * @throws Exception when it does not start
     */
    static ServiceProcess startInteractive(Path workDir, Map<String, String> env) throws Exception {
        return new ServiceProcess(builder(workDir, env, List.of(
                "python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
                        + " os.execvp(sys.argv[1], sys.argv[1:])")).start());
    }

    /**
     * Runs {@link Main} to its end: a command, or a start that fails.
     *
     * @param workDir working directory
     * @param env     environment variables to add
     * @param args    arguments
     * @return exit status and output (standard output and error together)
     * @throws Exception when it does not end within a minute
     */
    static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        Process process = builder(workDir, env, List.of(), args).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> wrapper,
                                          String... args) {
        List<String> command = new java.util.ArrayList<>(wrapper);
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                               "-cp", System.getProperty("java.class.path"),
                               Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        // stop at once unless a test is about the drain
        builder.environment().put("APP_SHUTDOWN_DRAIN_dash_TIME", "PT0S");
        builder.environment().putAll(env);
        return builder;
    }

    /**
     * How a run ended.
     *
     * @param status exit status
     * @param output what it printed
     */
    record Result(int status, String output) {
        /**
         * The lines that are not log records (those start with a date), nor SLF4J's notes about the test class
         * path (a test library brings SLF4J; the jar has none).
         *
         * @return lines
         */
        List<String> messages() {
            return output.lines()
                    .filter(line -> !line.matches("^\\d{4}[.-]\\d{2}[.-]\\d{2}[ T].*") && !line.startsWith("SLF4J"))
                    .toList();
        }
    }

    /**
     * Sends SIGINT, as Ctrl-C in a terminal does.
     *
     * @throws Exception when kill fails
     */
    void interrupt() throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    int port() {
        return port;
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Sends SIGTERM, as Kubernetes and {@code kill} do. ({@code Process.destroy} would also close our ends of
     * the process's pipes, losing what it prints while it stops.)
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Waits for the process to exit and its output to be read to the end.
     *
     * @return the output
     * @throws InterruptedException when interrupted
     */
    String awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS) || !reader.join(Duration.ofSeconds(10))) {
            throw new IllegalStateException("the service did not stop");
        }
        return String.join("\n", output);
    }

    @Override
    public void close() throws InterruptedException {
        terminate();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
