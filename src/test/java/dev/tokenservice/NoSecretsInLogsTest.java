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
        String refreshToken;
        TestApp.Instance instance;
        try {
            instance = TestApp.create(Map.of());
            try (TestApp.Running running = TestApp.start(instance.server())) {
                token = login(running, "alice-password");
                login(running, "wrong-password-value");
                refreshToken = lifecycle(running);
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
        assertThat(text, not(containsString(refreshToken)));
        assertThat(text, not(containsString("confidential-secret")));
        assertThat(text, not(containsString("rs-secret")));
    }

    /**
     * A session with client secrets, refresh tokens, revocation and introspection.
     *
     * @return the last refresh token issued
     */
    private static String lifecycle(TestApp.Running running) {
        String confidential = "Basic " + Base64.getEncoder().encodeToString("test-confidential:confidential-secret"
                                                                                    .getBytes());
        JsonObject login = post(running, confidential, "/token",
                                "grant_type=password&username=alice&password=alice-password");
        String refreshed = post(running, confidential, "/token", "grant_type=refresh_token&refresh_token="
                + login.getString("refresh_token")).getString("refresh_token");
        post(running, confidential, "/token", "grant_type=refresh_token&refresh_token="
                + login.getString("refresh_token"));
        post(running, "Basic " + Base64.getEncoder().encodeToString("test-rs:rs-secret".getBytes()), "/introspect",
             "token=" + login.getString("access_token"));
        post(running, "Basic " + Base64.getEncoder().encodeToString("test-rs:wrong-rs-secret".getBytes()),
             "/introspect", "token=" + login.getString("access_token"));
        JsonObject second = post(running, null, "/token", "grant_type=password&username=alice&password=alice-password");
        post(running, null, "/revoke", "token=" + second.getString("refresh_token"));
        return refreshed;
    }

    private static JsonObject post(TestApp.Running running, String authorization, String path, String form) {
        var request = running.client().post(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        try (Http1ClientResponse res = request.contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit(form)) {
            return res.entity().hasEntity() ? res.as(JsonObject.class) : JsonObject.EMPTY_JSON_OBJECT;
        }
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
