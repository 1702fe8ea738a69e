package dev.tokenservice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenservice.users.PasswordHasher;

import io.helidon.webclient.http1.Http1Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

/**
 * SIGTERM: readiness fails first, the requests in flight finish, then the process exits.
 */
class ShutdownTest {
    /** High enough that logins are still running when the drain ends and the server stops. */
    private static final int SLOW_COST = 13;

    @TempDir
    Path workDir;

    @Test
    void sigtermDrainsReadinessFirstAndLetsRequestsInFlightComplete() throws Exception {
        Files.writeString(workDir.resolve("application.yaml"), """
                app:
                  password:
                    bcrypt-cost: %d
                  users:
                    - username: "alice"
                      password-hash: "%s"
                      scopes: ["me"]
                """.formatted(SLOW_COST, new PasswordHasher(SLOW_COST).hash("alice-password")));
        ServiceProcess service = ServiceProcess.start(workDir, Map.of(
                "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                "APP_KEYS_GENERATE", "true",
                "APP_SHUTDOWN_DRAIN_dash_TIME", "PT1S",
                // four slow logins on a 2-core machine: two of them wait a check's time for their turn
                "APP_PASSWORD_BULKHEAD_MAX_dash_QUEUE_dash_WAIT", "PT1M",
                // generous, so that a busy test machine cannot turn a slow login into a cut one
                "SERVER_SHUTDOWN_dash_GRACE_dash_PERIOD", "PT30S"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create(service.baseUri());
            Http1Client probe = TestApp.newClient(service.baseUri());
            assertThat(TestApp.status(probe, "/observe/health/ready", null), is(200));
            // Helidon's requests_count_total counts each request as it arrives, the reads of the metrics included
            double before = TestApp.metric(TestApp.metrics(probe), "requests_count_total\\{");

            List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                logins.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("/token"))
                                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                                    .POST(HttpRequest.BodyPublishers.ofString(
                                                            "grant_type=password&username=alice"
                                                                    + "&password=alice-password"))
                                                    .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // the four logins reached the server (the count less the one before them and the reads since), and none
            // has its answer yet
            AtomicInteger reads = new AtomicInteger();
            eventually(() -> TestApp.metric(TestApp.metrics(probe), "requests_count_total\\{") - before
                               - reads.incrementAndGet(), is(4.0));
            assertThat(logins.stream().filter(CompletableFuture::isDone).count(), is(0L));
            service.terminate();

            // during the drain the server still answers, and readiness is down
            eventually(() -> TestApp.status(probe, "/observe/health/ready", null), is(503));

            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> login : logins) {
                statuses.add(login.get(60, TimeUnit.SECONDS).statusCode());
            }
            assertThat("every request sent before SIGTERM completed: " + statuses, statuses, everyItem(is(200)));
            String output = service.awaitExit();
            assertThat(output, output.contains("readiness is down"), is(true));
            assertThat(output, output.contains("token-service: stopped"), is(true));
        } finally {
            service.close();
        }
    }

    @Test
    void ctrlCStopsAtOnceWithoutTheDrain() throws Exception {
        try (ServiceProcess service = ServiceProcess.startInteractive(workDir, Map.of(
                "APP_KEYS_FILE", workDir.resolve("keys/jwks.json").toString(),
                "APP_KEYS_GENERATE", "true",
                // a drain that a SIGINT must not wait for
                "APP_SHUTDOWN_DRAIN_dash_TIME", "PT60S"))) {
            long start = System.nanoTime();
            service.interrupt();
            String output = service.awaitExit();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(output, output.contains("interrupted (Ctrl-C), stopping without a drain"), is(true));
            assertThat(output, output.contains("token-service: stopped"), is(true));
            assertThat("stopped in " + took, took.compareTo(Duration.ofSeconds(20)) < 0, is(true));
        }
    }
}
