package dev.tokenservice;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.protection.BcryptBulkhead;
import dev.tokenservice.users.PasswordHasher;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * With every place of the bcrypt bulkhead taken by slow logins, a further login (or client authentication, as for
 * the client credentials grant) is answered 503 after a short pause of its own, and the protected API keeps
 * answering fast: bcrypt runs off the carrier threads that every request shares.
 */
class LoginFloodTest {
    /** A second or more per check: the bulkhead stays full while the test looks, refusal pauses included. */
    private static final int SLOW_COST = 14;

    @Test
    void fullBulkheadAnswers503WhileTheApiStaysFast() throws Exception {
        String slowHash = new PasswordHasher(SLOW_COST).hash("alice-password");
        // as many checks at once as there are carrier threads: on virtual threads they would hold them all
        int limit = Runtime.getRuntime().availableProcessors();
        TestApp.Instance instance = TestApp.create(Map.of("app.users.0.password-hash", slowHash,
                                                          "app.password.bulkhead.limit", String.valueOf(limit),
                                                          "app.password.bulkhead.queue-length", "1",
                                                          // this test is about the length
                                                          "app.password.bulkhead.max-queue-wait", "PT1M"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String token = TestApp.token(running.client(), "bob", "bob-password");
            BcryptBulkhead bulkhead = instance.server().bcryptBulkhead();
            double refusedBefore = TestApp.metric(TestApp.metrics(running.client()), "password_checks_refused_total");

            // slow logins run, one waits: the bulkhead is full
            AtomicInteger accepted = new AtomicInteger();
            List<Thread> slowLogins = new ArrayList<>();
            for (int i = 0; i < limit + 1; i++) {
                slowLogins.add(Thread.ofVirtual().start(() -> {
                    Http1Client own = TestApp.newClient(running.client().prototype().baseUri().get()
                                                                   .toString());
                    try (Http1ClientResponse res = TestApp.postForm(
                            own, "/token", "grant_type=password&username=alice&password=alice-password")) {
                        if (res.status() == Status.OK_200) {
                            accepted.incrementAndGet();
                        }
                    }
                }));
                eventually(bulkhead::inFlight, greaterThan((long) i));
            }
            assertThat(bulkhead.inFlight(), is(limit + 1L));

            long start = System.nanoTime();
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token",
                                                            "grant_type=password&username=bob&password=bob-password")) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(res.status(), is(Status.SERVICE_UNAVAILABLE_503));
                assertThat("503 answered in " + millis + " ms", millis,
                           lessThan(BcryptBulkhead.REFUSAL_PAUSE.toMillis() + 500));
                assertThat(res.headers().get(HeaderNames.RETRY_AFTER).get(), is("1"));
                assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
                JsonObject body = res.as(JsonObject.class);
                assertThat(body.getString("error"), is("temporarily_unavailable"));
                assertThat(body.getString("error_description").isEmpty(), is(false));
            }

            // a client's own token needs a secret check too (client credentials grant): refused alike
            String batchJob = "Basic " + java.util.Base64.getEncoder().encodeToString("test-batch:service-secret"
                                                                                              .getBytes());
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token",
                                                            "grant_type=client_credentials", "Authorization",
                                                            batchJob)) {
                assertThat(res.status(), is(Status.SERVICE_UNAVAILABLE_503));
                assertThat(res.headers().get(HeaderNames.RETRY_AFTER).get(), is("1"));
                assertThat(res.as(JsonObject.class).getString("error"), is("temporarily_unavailable"));
            }

            // the refusal itself waits (a client that ignores Retry-After cannot loop faster than that), the
            // connection does not: the next request on it, which behind an ingress may be another client's, is
            // served as soon as it comes
            try (Socket socket = new Socket("127.0.0.1", running.server().port())) {
                socket.setSoTimeout(5000);
                String login = "grant_type=password&username=bob&password=bob-password";
                long sent = System.nanoTime();
                String refusal = exchange(socket, "POST /token HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + login.length()
                        + "\r\n\r\n" + login);
                long refusalMillis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(refusal, startsWith("HTTP/1.1 503"));
                assertThat(refusal.toLowerCase(Locale.ROOT), not(containsString("connection: close")));
                assertThat("503 answered in " + refusalMillis + " ms", refusalMillis,
                           greaterThanOrEqualTo(BcryptBulkhead.REFUSAL_PAUSE.toMillis()));
                String next = exchange(socket, "GET /users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + token + "\r\n\r\n");
                assertThat(next, startsWith("HTTP/1.1 200"));
            }

            long[] millis = new long[21];
            for (int i = 0; i < millis.length; i++) {
                long begin = System.nanoTime();
                assertThat(TestApp.usersMe(running.client(), token), is(200));
                millis[i] = (System.nanoTime() - begin) / 1_000_000;
            }
            // the API was asked while the bulkhead was still full
            assertThat(bulkhead.inFlight(), is(limit + 1L));
            java.util.Arrays.sort(millis);
            // bcrypt holding the carriers would make each request wait for a check to end (half a second or more)
            assertThat("median /users/me " + millis[10] + " ms", millis[10], lessThan(150L));
            assertThat(TestApp.metric(TestApp.metrics(running.client()), "password_checks_refused_total"),
                       is(refusedBefore + 3));

            for (Thread login : slowLogins) {
                login.join();
            }
            assertThat("queued logins are served, not dropped", accepted.get(), is(limit + 1));
        }
    }

    /** Sends a request and reads its answer (headers and a body of Content-Length bytes). */
    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        assertThat("Content-Length in " + head, length.find(), is(true));
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }
}
