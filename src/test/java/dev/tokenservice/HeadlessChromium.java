package dev.tokenservice;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver through Selenium, with a new profile of its own.
 * Both binaries are named explicitly, so Selenium Manager is never asked for (or to download) a driver or a
 * browser. Every request the pages make is recorded from Chromium's network events (chromedriver's performance
 * log), whatever its origin and whether or not it succeeded.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final Thread quitOnExit;
    private final List<Request> requests = new ArrayList<>();

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        // should the JVM be stopped before close() (Ctrl-C, a fork timeout), no browser is left behind
        this.quitOnExit = new Thread(driver::quit, "quit chromium");
        Runtime.getRuntime().addShutdownHook(quitOnExit);
    }

    /**
     * Why the browser cannot run here, if it cannot.
     *
     * @return the reason, or {@code null} when both binaries are installed
     */
    static String missing() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return null;
        }
        return "Debian's chromium and chromedriver are not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): "
                + "'bash .ci/test' installs them when it runs as root with apt-get; "
                + "else run 'apt-get install chromium chromium-driver' as root";
    }

    /**
     * Starts the browser.
     *
     * @param extraArguments Chromium command-line switches besides the usual ones
     * @return the browser; close it to quit the browser and remove its profile
     */
    static HeadlessChromium start(String... extraArguments) {
        Path profile;
        try {
            profile = Files.createTempDirectory("token-service-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // what works on these machines, as root, in a closed network: no sandbox (root), no GPU, /tmp instead of a
        // small /dev/shm, and none of Chromium's own traffic (updates, sync, safe browsing lists, QUIC probes)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-quic", "--no-first-run", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--disable-extensions",
                             "--user-data-dir=" + profile, "--window-size=1280,1600");
        options.addArguments(extraArguments);
        // Chromium's network events of the pages, as chromedriver's "performance" log
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            // leave Chromium's own start page (chrome:// resources), then forget its requests: from here on, every
            // request recorded is one the test's pages made
            driver.get("about:blank");
            driver.manage().logs().get(LogType.PERFORMANCE);
            return new HeadlessChromium(driver, profile);
        } catch (RuntimeException e) {
            if (driver != null) {
                driver.quit();
            } else {
                service.stop();
            }
            deleteTree(profile);
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /**
     * Every request the pages have sent since {@link #start(String...)} returned, in order.
     *
     * @return requests
     */
    List<Request> requests() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonObject message = Json.createReader(new StringReader(entry.getMessage())).readObject()
                    .getJsonObject("message");
            if ("Network.requestWillBeSent".equals(message.getString("method", ""))) {
                JsonObject request = message.getJsonObject("params").getJsonObject("request");
                requests.add(new Request(request.getString("method"), request.getString("url"),
                                         request.getJsonObject("headers"), request.getString("postData", "")));
            }
        }
        return List.copyOf(requests);
    }

    /**
     * Quits the browser and its driver, then removes the profile.
     */
    @Override
    public void close() {
        try {
            try {
                Runtime.getRuntime().removeShutdownHook(quitOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already stopping: the hook quits the browser
                return;
            }
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: left for the system to clean
        }
    }

    /**
     * A request as Chromium sent it.
     *
     * @param method  HTTP method
     * @param url     URL
     * @param headers request headers as the page set them
     * @param form    the body of a form post, else empty
     */
    record Request(String method, String url, JsonObject headers, String form) {
        String header(String name) {
            return headers.keySet().stream()
                    .filter(name::equalsIgnoreCase)
                    .map(headers::getString)
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public String toString() {
            // inline data: URLs can be long SVG documents
            return method + " " + (url.length() > 120 ? url.substring(0, 120) + "..." : url);
        }
    }
}
