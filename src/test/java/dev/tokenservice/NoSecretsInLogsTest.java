package dev.tokenservice;

import java.util.Base64;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * A session of logins and calls logs no password, token, hash or key: at the levels the service ships (INFO), and
 * with the service's own loggers at their most detailed level. (Helidon's own TRACE wire logs print raw requests,
 * credentials included, by design; they must never be switched on in production.)
 */
class NoSecretsInLogsTest {
    @Test
    void passwordsTokensAndKeysNeverReachTheLog() {
        StringBuilder log = new StringBuilder();
        Handler capture = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                synchronized (log) {
                    log.append(formatter.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Logger own = Logger.getLogger("dev.tokenservice");
        Level previousRoot = root.getLevel();
        Level previousOwn = own.getLevel();
        root.setLevel(Level.INFO);
        own.setLevel(Level.ALL);
        root.addHandler(capture);
        String token;
        TestApp.Instance instance;
        try {
            instance = TestApp.create(Map.of());
            try (TestApp.Running running = TestApp.start(instance.server())) {
                token = login(running, "alice-password");
                login(running, "wrong-password-value");
                for (String authorization : new String[] {"Bearer " + token, "Bearer " + token + "x",
                        "Basic " + Base64.getEncoder().encodeToString("alice:alice-password".getBytes())}) {
                    try (Http1ClientResponse ignored = running.client().get("/users/me")
                            .header(HeaderNames.AUTHORIZATION, authorization).request()) {
                        // only the log matters here
                    }
                }
            }
        } finally {
            root.removeHandler(capture);
            root.setLevel(previousRoot);
            own.setLevel(previousOwn);
        }
        String secret = TestApp.activeKey(instance.keyFile()).getString("k");
        String text = log.toString();
        assertThat("the capture works", text, containsString("Generated a new HS256 signing key"));
        assertThat(text, not(containsString("alice-password")));
        assertThat(text, not(containsString("wrong-password-value")));
        assertThat(text, not(containsString(token.substring(token.lastIndexOf('.') + 1))));
        assertThat(text, not(containsString(token.substring(0, token.lastIndexOf('.')))));
        assertThat(text, not(containsString(secret)));
        assertThat(text, not(containsString("$2a$04$")));
    }

    private static String login(TestApp.Running running, String password) {
        try (Http1ClientResponse res = running.client().post("/token")
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=" + password)) {
            JsonObject body = res.as(JsonObject.class);
            return body.getString("access_token", "");
        }
    }
}
