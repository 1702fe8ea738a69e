package dev.tokenservice.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import dev.tokenservice.Forge;
import dev.tokenservice.TestApp;
import dev.tokenservice.store.memory.InMemoryRevokedTokens;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;

/**
 * Measures what the revocation check costs a protected route: not a test (it asserts nothing and is not run by
 * {@code mvn test}), a program that prints medians.
 * <ol>
 *     <li>The check alone: {@link InMemoryRevokedTokens#isRevoked(String)} for a token that is not revoked, with
 *     an empty set and with {@value #POPULATED} revoked ids.</li>
 *     <li>The whole route: {@code GET /users/me} over keep-alive connections on 127.0.0.1 to two servers in this
 *     JVM, one with no revoked id and one where {@value #POPULATED} access tokens were revoked through
 *     {@code POST /revoke}, in alternating rounds.</li>
 * </ol>
 * Run with {@code bash .ci/bench revocation} ({@code bash .ci/bench revocation control} for the control run).
 */
public final class RevocationCheckBench {
    private static final int POPULATED = 100_000;
    private static final int CHECKS_PER_ROUND = 5_000_000;
    private static final int ROUNDS = 15;
    private static final int REQUESTS_PER_ROUND = 2_000;

    private static long sink;

    private RevocationCheckBench() {
    }

    /**
     * Runs the measurements.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        checkAlone();
        // "control": the same runs with nothing revoked on either server, to see the noise between two servers
        wholeRoute(args.length > 0 && args[0].equals("control") ? 0 : POPULATED);
        System.out.println("(sink " + sink + ")");
    }

    private static void checkAlone() {
        InMemoryRevokedTokens empty = new InMemoryRevokedTokens(Clock.systemUTC(), Duration.ofSeconds(5));
        InMemoryRevokedTokens populated = new InMemoryRevokedTokens(Clock.systemUTC(), Duration.ofSeconds(5));
        Instant exp = Instant.now().plus(Duration.ofMinutes(30));
        for (int i = 0; i < POPULATED; i++) {
            populated.revoke(UUID.randomUUID().toString(), exp);
        }
        // the jtis looked up: random, as real token ids are, and not revoked
        String[] jtis = new String[1024];
        for (int i = 0; i < jtis.length; i++) {
            jtis[i] = UUID.randomUUID().toString();
        }
        double[] emptyNs = new double[ROUNDS];
        double[] populatedNs = new double[ROUNDS];
        for (int round = -3; round < ROUNDS; round++) {
            double e = nsPerCheck(empty, jtis);
            double p = nsPerCheck(populated, jtis);
            if (round >= 0) {
                emptyNs[round] = e;
                populatedNs[round] = p;
            }
        }
        System.out.printf("isRevoked, not revoked: median %.1f ns with 0 revoked ids, %.1f ns with %d (%d rounds of"
                                  + " %d checks)%n", median(emptyNs), median(populatedNs), populated.size(), ROUNDS,
                          CHECKS_PER_ROUND);
    }

    private static double nsPerCheck(InMemoryRevokedTokens revoked, String[] jtis) {
        long hits = 0;
        long start = System.nanoTime();
        for (int i = 0; i < CHECKS_PER_ROUND; i++) {
            if (revoked.isRevoked(jtis[i & 1023])) {
                hits++;
            }
        }
        long elapsed = System.nanoTime() - start;
        sink += hits;
        return (double) elapsed / CHECKS_PER_ROUND;
    }

    private static void wholeRoute(int revocations) {
        TestApp.Instance empty = TestApp.create(Map.of());
        TestApp.Instance populated = TestApp.create(Map.of());
        try (TestApp.Running emptyServer = TestApp.start(empty.server());
                TestApp.Running populatedServer = TestApp.start(populated.server())) {
            Http1Client emptyClient = client(emptyServer);
            Http1Client populatedClient = client(populatedServer);
            String emptyToken = login(emptyClient);
            String populatedToken = login(populatedClient);
            long start = System.nanoTime();
            revokeForgedTokens(populatedClient, populated, revocations);
            System.out.printf("revoked %d access tokens through POST /revoke in %.1f s%n", revocations,
                              (System.nanoTime() - start) / 1e9);
            // the same number of rounds on both servers, alternating, after warm-up rounds on both
            double[] before = new double[ROUNDS];
            double[] after = new double[ROUNDS];
            for (int round = -5; round < ROUNDS; round++) {
                // which server goes first alternates too
                double e;
                double p;
                if ((round & 1) == 0) {
                    e = roundMedian(emptyClient, emptyToken);
                    p = roundMedian(populatedClient, populatedToken);
                } else {
                    p = roundMedian(populatedClient, populatedToken);
                    e = roundMedian(emptyClient, emptyToken);
                }
                if (round >= 0) {
                    before[round] = e;
                    after[round] = p;
                }
            }
            System.out.printf("GET /users/me: median %.1f us with 0 revoked ids, %.1f us with %d (%d alternating"
                                      + " rounds of %d requests each, median of round medians)%n", median(before),
                              median(after), revocations, ROUNDS, REQUESTS_PER_ROUND);
        }
    }

    private static Http1Client client(TestApp.Running running) {
        return TestApp.newClient("http://127.0.0.1:" + running.server().port());
    }

    private static String login(Http1Client client) {
        try (Http1ClientResponse res = client.post("/token").contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=alice-password")) {
            return res.as(JsonObject.class).getString("access_token");
        }
    }

    private static void revokeForgedTokens(Http1Client client, TestApp.Instance instance, int revocations) {
        byte[] secret = TestApp.hmacSecret(instance.keyFile());
        String kid = TestApp.activeKey(instance.keyFile()).getString("kid");
        for (int i = 0; i < revocations; i++) {
            String other = Forge.hs256(secret, kid, Forge.validClaims("alice").claim("client_id", "test-public")
                    .build());
            try (Http1ClientResponse res = client.post("/revoke")
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit("token=" + other)) {
                if (res.status() != Status.OK_200) {
                    throw new IllegalStateException("revoke answered " + res.status());
                }
            }
        }
    }

    private static double roundMedian(Http1Client client, String token) {
        long[] micros = new long[REQUESTS_PER_ROUND];
        for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
            long start = System.nanoTime();
            try (Http1ClientResponse res = client.get("/users/me")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                sink += res.as(String.class).length();
                if (res.status() != Status.OK_200) {
                    throw new IllegalStateException("/users/me answered " + res.status());
                }
            }
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        return micros[micros.length / 2];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
