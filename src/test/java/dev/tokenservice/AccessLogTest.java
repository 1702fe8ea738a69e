package dev.tokenservice;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * One access log line per request, with the subject when there is one, and never a credential.
 */
class AccessLogTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger access = Logger.getLogger("access");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
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
    void plainLinesNameTheSubjectAndNoCredential() {
        try (TestApp.Running running = TestApp.start(TestApp.shared())) {
            String token = TestApp.token(running.client(), "alice", "alice-password");
            assertThat(TestApp.usersMe(running.client(), token), is(200));
            try (Http1ClientResponse ignored = running.client().get("/items/7")
                    .queryParam("access_token", token)
                    .header(HeaderNames.AUTHORIZATION, "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=").request()) {
                // a refused request is logged too
            }
        }
        List<String> ours = lines.stream().filter(line -> line.contains("\"")).toList();
        assertThat(ours.size(), is(3));
        assertThat(ours.get(0), ours.get(0).matches("\\S+Z 127\\.0\\.0\\.1 - \"POST /token\" 200 \\d+\\.\\dms"), is(true));
        assertThat(ours.get(1), ours.get(1).matches("\\S+Z 127\\.0\\.0\\.1 alice \"GET /users/me\" 200 \\d+\\.\\dms"), is(true));
        assertThat(ours.get(2), ours.get(2).matches("\\S+Z 127\\.0\\.0\\.1 - \"GET /items/7\" 400 \\d+\\.\\dms"), is(true));
        String all = String.join("\n", lines);
        assertThat(all, not(containsString("alice-password")));
        assertThat(all, not(containsString("access_token")));
        assertThat(all, not(containsString("Basic")));
        assertThat(all, not(containsString("eyJ")));
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
        List<String> ours = lines.stream().filter(line -> line.contains("\"POST /token\"")).toList();
        assertThat(ours.size(), is(2));
        assertThat(ours.get(0), ours.get(0).matches("\\S+Z 127\\.0\\.0\\.1 - \"POST /token\" 400 \\d+\\.\\dms"), is(true));
        assertThat(ours.get(1), ours.get(1).matches("\\S+Z 127\\.0\\.0\\.1 - \"POST /token\" 429 \\d+\\.\\dms"), is(true));
        assertThat(String.join("\n", lines), not(containsString("alice")));
    }

    @Test
    void jsonFormatFromConfig() {
        TestApp.Instance instance = TestApp.create(Map.of("app.access-log.format", "json"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String token = TestApp.token(running.client(), "bob", "bob-password");
            TestApp.usersMe(running.client(), token);
        }
        JsonObject line = Json.createReader(new StringReader(lines.getLast())).readObject();
        assertThat(line.getString("method"), is("GET"));
        assertThat(line.getString("path"), is("/users/me"));
        assertThat(line.getInt("status"), is(200));
        assertThat(line.getString("subject"), is("bob"));
        assertThat(line.getString("client"), is("127.0.0.1"));
        assertThat(line.getJsonNumber("duration_ms").doubleValue() >= 0, is(true));
        assertThat(line.getString("time").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), is(true));
    }
}
