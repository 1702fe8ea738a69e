package dev.tokenservice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.tokenservice.ops.AccessLog;
import dev.tokenservice.ops.AccessLogAccess;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * One access log line per request, with the subject when there is one, never a credential, never a forged line,
 * and written off the request path.
 */
class AccessLogTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    /** Paths that try to end the line or the quotes, or put terminal escapes or NUL into the log. */
    private static final List<String> HOSTILE_PATHS = List.of(
            "/nothing/%0a2026-11-29T13:03:51.480Z%20127.0.0.1%20john.doe%20%22POST%20/users/me/logout%22%20204%200.1ms",
            "/nothing/%0d%0a%22GET%20/x%22",
            "/nothing/a%1b[31mred%7f",
            "/nothing/back%5c%22slash",
            "/nothing/%c2%85nel%e2%80%a8ls%e2%80%a9ps",
            "/nothing/%ff%fe");

    /** Each line with the thread that published it: every access log has a writer thread of its own. */
    private final List<String[]> records = new CopyOnWriteArrayList<>();
    private final Logger access = Logger.getLogger("access");
    private volatile CountDownLatch blocked;
    private final CountDownLatch writerStuck = new CountDownLatch(1);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            CountDownLatch gate = blocked;
            if (gate != null) {
                // a log sink that hangs (a full pipe, a stalled collector)
                writerStuck.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            records.add(new String[] {Thread.currentThread().getName(), record.getMessage()});
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        access.addHandler(capture);
    }

    @AfterEach
    void release() {
        access.removeHandler(capture);
    }

    @Test
    void plainLinesHaveOneTimestampTheSubjectAndNoCredential() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            String token = TestApp.token(running.client(), "alice", "alice-password");
            assertThat(TestApp.usersMe(running.client(), token), is(200));
            try (Http1ClientResponse ignored = running.client().get("/items/7")
                    .queryParam("access_token", token)
                    .header(HeaderNames.AUTHORIZATION, "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=").request()) {
                // a refused request is logged too
            }
        }
        List<String> all = await(TestApp.shared().accessLog(),
                                 found -> found.stream().filter(line -> line.contains("/items/7")).count() == 1);
        // the shared server has served other tests before: this test's lines are the last three
        List<String> ours = all.subList(all.size() - 3, all.size());
        assertThat(ours.toString(), ours.size(), is(3));
        assertThat(ours.get(0), ours.get(0).matches(TIME + " 127\\.0\\.0\\.1 - \"POST /token\" 200 \\d+\\.\\dms"),
                   is(true));
        assertThat(ours.get(1), ours.get(1).matches(TIME + " 127\\.0\\.0\\.1 alice \"GET /users/me\" 200 \\d+\\.\\dms"),
                   is(true));
        assertThat(ours.get(2), ours.get(2).matches(TIME + " 127\\.0\\.0\\.1 - \"GET /items/7\" 400 \\d+\\.\\dms"),
                   is(true));
        String text = String.join("\n", ours);
        assertThat(text, not(containsString("alice-password")));
        assertThat(text, not(containsString("access_token")));
        assertThat(text, not(containsString("Basic")));
        assertThat(text, not(containsString("eyJ")));
    }

    @Test
    void throttledLoginIsLoggedLikeAnyStatusWithoutItsUsername() {
        TestApp.Instance instance = TestApp.create(Map.of("app.login-protection.enabled", "true",
                                                          "app.login-protection.threshold", "1"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            for (int i = 0; i < 2; i++) {
                try (Http1ClientResponse ignored = TestApp.postForm(
                        running.client(), "/token", "grant_type=password&username=alice&password=wrong")) {
                    // the first is refused as a wrong password, the second by throttling
                }
            }
        }
        String login = "\"POST /token\"";
        List<String> all = await(instance.server().accessLog(),
                                 found -> found.stream().filter(line -> line.contains(login)).count() == 2);
        List<String> ours = all.stream().filter(line -> line.contains(login)).toList();
        assertThat(ours.get(0), ours.get(0).matches(TIME + " 127\\.0\\.0\\.1 - \"POST /token\" 400 \\d+\\.\\dms"),
                   is(true));
        assertThat(ours.get(1), ours.get(1).matches(TIME + " 127\\.0\\.0\\.1 - \"POST /token\" 429 \\d+\\.\\dms"),
                   is(true));
        assertThat(String.join("\n", all), not(containsString("alice")));
    }

    @Test
    void aClientsOwnTokenIsLoggedAsTheClient() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            String token;
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token", "grant_type=client_credentials",
                                                            "Authorization", ClientCredentialsTest.basic(
                                                                    "test-service", "service-secret"))) {
                token = res.as(JsonObject.class).getString("access_token");
            }
            try (Http1ClientResponse res = running.client().get("/items/8")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                assertThat(res.status().code(), is(200));
            }
        }
        // a user named test-service exists: the log tells the client apart
        List<String> ours = await(TestApp.shared().accessLog(),
                                  found -> found.stream().anyMatch(line -> line.contains("/items/8")))
                .stream().filter(line -> line.contains("/items/8")).toList();
        assertThat(ours.getFirst(), ours.getFirst().matches(
                TIME + " 127\\.0\\.0\\.1 client:test-service \"GET /items/8\" 200 \\d+\\.\\dms"), is(true));
    }

    @Test
    void jsonFormatFromConfig() {
        TestApp.Instance instance = TestApp.create(Map.of("app.access-log.format", "json"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String token = TestApp.token(running.client(), "bob", "bob-password");
            TestApp.usersMe(running.client(), token);
        }
        List<String> lines = await(instance.server().accessLog(),
                                   found -> found.stream().anyMatch(line -> line.contains("/users/me")));
        JsonObject line = Json.createReader(new StringReader(lines.getLast())).readObject();
        assertThat(line.getString("method"), is("GET"));
        assertThat(line.getString("path"), is("/users/me"));
        assertThat(line.getInt("status"), is(200));
        assertThat(line.getString("subject"), is("bob"));
        assertThat(line.getString("client"), is("127.0.0.1"));
        assertThat(line.getJsonNumber("duration_ms").doubleValue() >= 0, is(true));
        assertThat(line.getString("time"), line.getString("time").matches(TIME), is(true));
        instance.server().accessLog().close();
    }

    @Test
    void hostilePathsStayInsideTheirPlainLine() throws Exception {
        Map<String, String> logged = sendHostilePaths(TestApp.create(Map.of()));
        for (String line : logged.values()) {
            assertThat(line, line.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028
                    || c == 0x2029), is(true));
            // the request line is the only quoted part: exactly two quotes that are not escaped
            assertThat(line, line.replace("\\\\", "").replace("\\\"", "").chars().filter(c -> c == '"').count(),
                       is(2L));
            assertThat(line, line.matches(TIME + " 127\\.0\\.0\\.1 - \"GET /nothing/.*\" 404 \\d+\\.\\dms"), is(true));
        }
        assertThat(logged.get(HOSTILE_PATHS.getFirst()), containsString("\"GET /nothing/\\n2026-11-29T13:03:51.480Z"
                + " 127.0.0.1 john.doe \\\"POST /users/me/logout\\\" 204 0.1ms\" 404 "));
        assertThat(logged.get("/nothing/back%5c%22slash"), containsString("back\\\\\\\"slash"));
    }

    @Test
    void hostilePathsGiveValidJsonWithThePathAsTheServerSawIt() throws Exception {
        Map<String, String> logged = sendHostilePaths(TestApp.create(Map.of("app.access-log.format", "json")));
        for (Map.Entry<String, String> entry : logged.entrySet()) {
            String line = entry.getValue();
            assertThat(line, line.chars().noneMatch(c -> c < 0x20), is(true));
            JsonObject json = Json.createReader(new StringReader(line)).readObject();
            assertThat(json.getString("path"), is(URLDecoder.decode(entry.getKey(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void nulEscAndEveryControlCharacterAreEscapedInEveryField() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0xa0; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029 \"\\");
        String hostile = all.toString();
        String plain = AccessLogAccess.plainLine(hostile, hostile, hostile, hostile);
        assertThat(plain, plain.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028
                || c == 0x2029), is(true));
        assertThat(plain, containsString("\\x00\\x01"));
        assertThat(plain, containsString("\\x1b"));
        // the unquoted fields have their spaces escaped too: the line still splits into its fields
        String unquoted = plain.substring(0, plain.indexOf(" \""));
        assertThat(unquoted, unquoted.split(" ", -1).length, is(3));
        assertThat(plain, plain.endsWith("\" 200 1.0ms"), is(true));
        String json = AccessLogAccess.jsonLine(hostile, hostile, hostile, hostile);
        assertThat(json, json.chars().noneMatch(c -> c < 0x20), is(true));
        // the line breakers JSON allows raw in a string are escaped too, as in the security events' lines
        assertThat(json, json.chars().noneMatch(c -> (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029),
                   is(true));
        JsonObject parsed = Json.createReader(new StringReader(json)).readObject();
        for (String field : List.of("client", "subject", "method", "path")) {
            assertThat(field, parsed.getString(field), is(hostile));
        }
    }

    @Test
    void aStuckLogNeitherBlocksRequestsNorLosesLinesUntilItsQueueIsFull() throws Exception {
        int queueSize = 4;
        int extra = 3;
        TestApp.Instance instance = TestApp.create(Map.of("app.access-log.queue-size", String.valueOf(queueSize)));
        blocked = new CountDownLatch(1);
        try (TestApp.Running running = TestApp.start(instance.server())) {
            // the writer takes the first line and hangs in the log
            assertThat(TestApp.status(running.client(), "/nothing/0", null), is(404));
            assertThat(writerStuck.await(10, TimeUnit.SECONDS), is(true));
            long start = System.nanoTime();
            for (int i = 1; i <= queueSize + extra; i++) {
                assertThat(TestApp.status(running.client(), "/nothing/" + i, null), is(404));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat("requests waited for the log: " + took, took.compareTo(Duration.ofSeconds(5)) < 0, is(true));
            // the queue holds queueSize lines; the rest were dropped and counted (a line is queued just after its
            // answer is sent, so the last one may still be on its way)
            eventually(() -> instance.server().accessLog().dropped(), is((long) extra));
            blocked.countDown();
            blocked = null;
        }
        List<String> found = await(instance.server().accessLog(),
                                   all -> all.stream().filter(line -> line.contains("/nothing/")).count()
                                           >= queueSize + 1);
        List<String> ours = found.stream().filter(line -> line.contains("/nothing/")).toList();
        assertThat(ours.toString(), ours.size(), is(queueSize + 1));
        for (int i = 0; i <= queueSize; i++) {
            assertThat(ours.get(i), containsString("\"GET /nothing/" + i + "\" 404"));
        }
        // every line was offered by now: none more was dropped
        assertThat(instance.server().accessLog().dropped(), is((long) extra));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String metrics = running.client().get("/observe/metrics").requestEntity(String.class);
            assertThat(metrics, containsString("access_log_dropped_total"));
        }
        instance.server().accessLog().close();
    }

    @Test
    void ipv6AddressesAreWrittenCompactly() {
        assertThat(compact("0:0:0:0:0:0:0:1"), is("::1"));
        assertThat(compact("2001:db8:0:0:1:0:0:1"), is("2001:db8::1:0:0:1"));
        assertThat(compact("2001:0db8:0000:0000:0000:0000:0002:0001"), is("2001:db8::2:1"));
        assertThat(compact("fe80:0:0:0:0:0:0:1%lo"), is("fe80::1%lo"));
        assertThat(compact("1:2:3:4:5:6:7:8"), is("1:2:3:4:5:6:7:8"));
        assertThat(compact("1:0:3:4:5:6:7:8"), is("1:0:3:4:5:6:7:8"));
        assertThat(compact("0:0:0:0:0:0:0:0"), is("::"));
    }

    private static String compact(String address) {
        return AccessLogAccess.compact(address);
    }

    /** The plain or JSON line of each hostile path that reached the routes (404). */
    private Map<String, String> sendHostilePaths(TestApp.Instance instance) throws Exception {
        List<String> routed = new ArrayList<>();
        try (TestApp.Running running = TestApp.start(instance.server())) {
            for (String path : HOSTILE_PATHS) {
                if (rawGet(running.server().port(), path) == 404) {
                    routed.add(path);
                    // a request's line is written after its answer: wait for it, so that the lines keep the order
                    int sent = routed.size();
                    await(instance.server().accessLog(),
                          all -> all.stream().filter(line -> line.contains("/nothing/")).count() >= sent);
                }
            }
        }
        // the line the issue reports reaches the routes, and so the log
        assertThat(routed, org.hamcrest.Matchers.hasItem(HOSTILE_PATHS.getFirst()));
        List<String> found = await(instance.server().accessLog(),
                                   all -> all.stream().filter(line -> line.contains("/nothing/")).count()
                                           >= routed.size());
        instance.server().accessLog().close();
        List<String> ours = found.stream().filter(line -> line.contains("/nothing/")).toList();
        assertThat(ours.toString(), ours.size(), is(routed.size()));
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        for (int i = 0; i < routed.size(); i++) {
            lines.put(routed.get(i), ours.get(i));
        }
        return lines;
    }

    /** A request sent byte for byte, so that no client library cleans the path first. */
    private static int rawGet(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                assertThat(path + ": " + head, c >= 0, is(true));
                head.append((char) c);
            }
            assertThat(path + ": " + head, head.toString().startsWith("HTTP/1.1 "), is(true));
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)")
                    .matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    /**
     * The lines of one server's access log once they satisfy the condition: its writer thread logs them a moment
     * after the answer (and another test's server may still be writing its own).
     */
    private List<String> await(AccessLog log, Predicate<List<String>> condition) {
        String writer = AccessLogAccess.writerName(log);
        eventually(() -> {
            List<String> lines = lines(writer);
            assertThat("lines so far: " + lines, condition.test(lines), is(true));
        });
        List<String> lines = lines(writer);
        assertThat(lines.size(), greaterThan(0));
        return lines;
    }

    private List<String> lines(String writer) {
        return records.stream().filter(record -> record[0].equals(writer)).map(record -> record[1]).toList();
    }
}
