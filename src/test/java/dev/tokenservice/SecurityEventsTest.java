package dev.tokenservice;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Each security-relevant action over HTTP gives exactly its events, once, with their members; ordinary requests
 * give none.
 */
class SecurityEventsTest {
    private final TestClock clock = new TestClock();

    @Test
    void loginsAndTheirRefusals() {
        try (TestApp.Running running = start(Map.of()); CapturedEvents events = new CapturedEvents(running.service())) {
            JsonObject login = tokens(running, "grant_type=password&username=alice&password=alice-password");
            List<JsonObject> success = events.next();
            assertThat(success.size(), is(1));
            JsonObject event = success.getFirst();
            assertThat(CapturedEvents.summary(event), is("login success"));
            assertThat(event.getString("username"), is("alice"));
            assertThat(event.getString("client_id"), is("test-public"));
            assertThat(event.getString("address"), is("127.0.0.1"));
            assertThat(event.getString("session_id").length(), is(36));
            assertThat(event.getString("jti").length(), is(36));
            assertThat(event.getString("time"), startsWith(clock.instant().toString().substring(0, 10)));
            assertThat(event.containsKey("reason"), is(false));
            // an ordinary request is no event
            assertThat(TestApp.usersMe(running.client(), login.getString("access_token")), is(200));
            assertThat(events.nextSummaries(), is(List.of()));

            status(running, "grant_type=password&username=alice&password=wrong");
            assertThat(events.nextSummaries(), is(List.of("login failure wrong_password")));
            status(running, "grant_type=password&username=nobody&password=wrong");
            List<JsonObject> unknown = events.next();
            assertThat(unknown.stream().map(CapturedEvents::summary).toList(), is(List.of("login failure unknown_user")));
            assertThat(unknown.getFirst().getString("username"), is("nobody"));
            status(running, "grant_type=password&username=carol&password=carol-password");
            assertThat(events.nextSummaries(), is(List.of("login failure disabled_user")));
            status(running, "grant_type=password&username=alice&password=alice-password&client_id=test-refresh-only");
            assertThat(events.nextSummaries(), is(List.of("login failure unauthorized_client")));
            status(running, "grant_type=password&username=bob&password=bob-password&scope=items");
            assertThat(events.nextSummaries(), is(List.of("login failure invalid_scope")));
        }
    }

    @Test
    void throttledLoginsAndClientsCarryTheirWait() {
        try (TestApp.Running running = start(Map.of("app.login-protection.enabled", "true"));
             CapturedEvents events = new CapturedEvents(running.service())) {
            for (int i = 0; i < 5; i++) {
                status(running, "grant_type=password&username=dave&password=wrong");
            }
            assertThat(events.nextSummaries().size(), is(5));
            status(running, "grant_type=password&username=dave&password=dave-password");
            List<JsonObject> throttled = events.next();
            assertThat(throttled.stream().map(CapturedEvents::summary).toList(), is(List.of("login failure throttled")));
            assertThat(throttled.getFirst().getInt("retry_after"), is(1));
            assertThat(throttled.getFirst().getString("username"), is("dave"));

            for (int i = 0; i < 5; i++) {
                status(running, "grant_type=client_credentials", "Authorization", basic("test-service", "wrong"));
            }
            assertThat(events.nextSummaries(), is(List.of("client.auth failure wrong_secret",
                                                          "client.auth failure wrong_secret",
                                                          "client.auth failure wrong_secret",
                                                          "client.auth failure wrong_secret",
                                                          "client.auth failure wrong_secret")));
            status(running, "grant_type=client_credentials", "Authorization", basic("test-service", "service-secret"));
            List<JsonObject> client = events.next();
            assertThat(client.stream().map(CapturedEvents::summary).toList(),
                       is(List.of("client.auth failure throttled")));
            assertThat(client.getFirst().getString("client_id"), is("test-service"));
            assertThat(client.getFirst().getInt("retry_after"), is(1));
        }
    }

    @Test
    void clientAuthenticationAndClientCredentials() {
        try (TestApp.Running running = start(Map.of()); CapturedEvents events = new CapturedEvents(running.service())) {
            status(running, "grant_type=client_credentials", "Authorization", basic("nobody", "secret"));
            assertThat(events.nextSummaries(), is(List.of("client.auth failure unknown_client")));
            status(running, "grant_type=client_credentials&client_id=test-public&client_secret=x");
            assertThat(events.nextSummaries(), is(List.of("client.auth failure unexpected_secret")));
            try (Http1ClientResponse res = TestApp.postForm(running.client(), "/introspect", "token=x",
                                                            "Authorization", basic("test-rs", "wrong"))) {
                assertThat(res.status().code(), is(401));
            }
            assertThat(events.nextSummaries(), is(List.of("client.auth failure wrong_secret")));

            JsonObject token = tokens(running, "grant_type=client_credentials", "Authorization",
                                      basic("test-service", "service-secret"));
            List<JsonObject> issued = events.next();
            assertThat(issued.stream().map(CapturedEvents::summary).toList(), is(List.of("client_credentials success")));
            assertThat(issued.getFirst().getString("client_id"), is("test-service"));
            assertThat(issued.getFirst().containsKey("username"), is(false));
            assertThat(token.getString("access_token").isEmpty(), is(false));
        }
    }

    @Test
    void refreshReuseRevocationAndLogout() {
        try (TestApp.Running running = start(Map.of()); CapturedEvents events = new CapturedEvents(running.service())) {
            JsonObject login = tokens(running, "grant_type=password&username=alice&password=alice-password");
            String session = events.next().getFirst().getString("session_id");
            String first = login.getString("refresh_token");
            JsonObject refreshed = tokens(running, "grant_type=refresh_token&refresh_token=" + first);
            List<JsonObject> refresh = events.next();
            assertThat(refresh.stream().map(CapturedEvents::summary).toList(), is(List.of("refresh success")));
            assertThat(refresh.getFirst().getString("session_id"), is(session));
            assertThat(refresh.getFirst().getString("username"), is("alice"));

            // the used token again: refused as reused, and the session revoked because of it
            status(running, "grant_type=refresh_token&refresh_token=" + first);
            List<JsonObject> reuse = events.next();
            assertThat(reuse.stream().map(CapturedEvents::summary).toList(),
                       is(List.of("refresh failure reused", "revocation success reused")));
            reuse.forEach(event -> assertThat(event.getString("session_id"), is(session)));
            reuse.forEach(event -> assertThat(event.getString("username"), is("alice")));
            status(running, "grant_type=refresh_token&refresh_token=" + refreshed.getString("refresh_token"));
            assertThat(events.nextSummaries(), is(List.of("refresh failure unknown")));

            // POST /revoke: a refresh token's session, an access token
            JsonObject again = tokens(running, "grant_type=password&username=alice&password=alice-password");
            String second = events.next().getFirst().getString("session_id");
            revoke(running, again.getString("access_token"));
            List<JsonObject> access = events.next();
            assertThat(access.stream().map(CapturedEvents::summary).toList(), is(List.of("revocation success revoke")));
            assertThat(access.getFirst().containsKey("jti"), is(true));
            assertThat(access.getFirst().getString("username"), is("alice"));
            revoke(running, again.getString("refresh_token"));
            List<JsonObject> revoked = events.next();
            assertThat(revoked.stream().map(CapturedEvents::summary).toList(), is(List.of("revocation success revoke")));
            assertThat(revoked.getFirst().getString("session_id"), is(second));
            revoke(running, again.getString("refresh_token"));
            assertThat("nothing left to revoke: no event", events.nextSummaries(), is(List.of()));

            // logout: every session of the caller
            tokens(running, "grant_type=password&username=alice&password=alice-password");
            JsonObject last = tokens(running, "grant_type=password&username=alice&password=alice-password");
            events.next();
            try (Http1ClientResponse res = running.client().post("/users/me/logout")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + last.getString("access_token")).request()) {
                assertThat(res.status().code(), is(204));
            }
            List<JsonObject> logout = events.next();
            assertThat(logout.stream().map(CapturedEvents::summary).toList(), is(List.of("revocation success logout")));
            assertThat(logout.getFirst().getInt("count"), is(2));
            assertThat(logout.getFirst().getString("username"), is("alice"));
        }
    }

    @Test
    void theSessionCapRevokesTheOldestSession() {
        try (TestApp.Running running = start(Map.of("app.refresh-token.max-sessions-per-user", "1"));
             CapturedEvents events = new CapturedEvents(running.service())) {
            tokens(running, "grant_type=password&username=bob&password=bob-password");
            String first = events.next().getFirst().getString("session_id");
            clock.advance(Duration.ofSeconds(1));
            tokens(running, "grant_type=password&username=bob&password=bob-password");
            List<JsonObject> second = events.next();
            assertThat(second.stream().map(CapturedEvents::summary).toList(),
                       is(List.of("login success", "revocation success session_cap")));
            assertThat(second.get(1).getString("session_id"), is(first));
            assertThat(second.get(1).getString("username"), is("bob"));
        }
    }

    @Test
    void refusedBearerTokensAreOneEventAMinutePerAddressAndReason() {
        try (TestApp.Running running = start(Map.of()); CapturedEvents events = new CapturedEvents(running.service())) {
            for (int i = 0; i < 5; i++) {
                assertThat(TestApp.usersMe(running.client(), "not.a.token" + i), is(401));
            }
            try (Http1ClientResponse res = running.client().get("/items/1").request()) {
                assertThat(res.status().code(), is(401));
            }
            List<JsonObject> first = events.next();
            assertThat(first.stream().map(CapturedEvents::summary).toList(),
                       is(List.of("bearer.refused failure invalid_token", "bearer.refused failure missing")));
            assertThat(first.getFirst().getInt("count"), is(1));
            assertThat(first.getFirst().getString("address"), is("127.0.0.1"));

            clock.advance(Duration.ofSeconds(61));
            assertThat(TestApp.usersMe(running.client(), "not.a.token"), is(401));
            List<JsonObject> next = events.next();
            // this one and the four counted since the first event
            assertThat(next.stream().map(CapturedEvents::summary).toList(),
                       is(List.of("bearer.refused failure invalid_token")));
            assertThat(next.getFirst().getInt("count"), is(5));
        }
    }

    @Test
    void hostileUsernamesNeitherForgeNorSplitALine() {
        try (TestApp.Running running = start(Map.of()); CapturedEvents events = new CapturedEvents(running.service())) {
            String forged = "x\",\"type\":\"login\",\"outcome\":\"success\"}\n{\"type\":\"login\",\"outcome\":\"success";
            List<String> hostile = List.of(forged, "a\r\nb\u0000c\u001b[31md\u007f\u0085e\u2028f\u2029g",
                                           "z".repeat(10_240), "\uD800lone\uDFFFsurrogates");
            for (String name : hostile) {
                assertThat(status(running, "grant_type=password&password=x&username=" + encode(name)), is(400));
            }
            // invalid UTF-8 in the form itself: refused as a malformed form, or decoded with replacement characters
            int invalid = status(running, "grant_type=password&password=x&username=%FF%FE%C0%AFbad");
            List<String> lines = events.lines();
            assertThat(lines.size(), is(hostile.size() + (invalid == 400 && lines.size() > hostile.size() ? 1 : 0)));
            for (String line : lines) {
                for (char c : line.toCharArray()) {
                    assertThat("no raw control or line breaking character: " + line,
                               c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                                       || Character.isSurrogate(c), is(false));
                }
                JsonObject event = CapturedEvents.parse(line);
                assertThat(CapturedEvents.summary(event), is("login failure unknown_user"));
                assertThat(event.getString("username").length(), lessThanOrEqualTo(201));
            }
            assertThat(CapturedEvents.parse(lines.getFirst()).getString("username"), is(forged));
            assertThat(CapturedEvents.parse(lines.get(1)).getString("username"), is(hostile.get(1)));
            assertThat(CapturedEvents.parse(lines.get(2)).getString("username"), is("z".repeat(200) + "…"));
            assertThat(lines.get(2).length(), lessThanOrEqualTo(1000));
        }
    }

    @Test
    void eventsAreCountedByTypeAndOutcome() {
        try (TestApp.Running running = start(Map.of()); CapturedEvents events = new CapturedEvents(running.service())) {
            String meter = "security_events_total\\{outcome=\"failure\",scope=\"application\",type=\"login\"";
            double before = TestApp.metric(TestApp.metrics(running.client()), meter);
            status(running, "grant_type=password&username=alice&password=wrong");
            assertThat(TestApp.metric(TestApp.metrics(running.client()), meter), is(before + 1));
            assertThat(TestApp.metrics(running.client()), not(org.hamcrest.Matchers.containsString("alice")));
            assertThat(events.lines().size(), greaterThan(0));
        }
    }

    private TestApp.Running start(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("app.events.replica", "events-test-" + UUID.randomUUID());
        return TestApp.start(TestApp.create(all, clock).server());
    }

    private static JsonObject tokens(TestApp.Running running, String form, String... headers) {
        try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token", form, headers)) {
            assertThat(res.status().code(), is(200));
            return res.as(JsonObject.class);
        }
    }

    private static int status(TestApp.Running running, String form, String... headers) {
        try (Http1ClientResponse res = TestApp.postForm(running.client(), "/token", form, headers)) {
            return res.status().code();
        }
    }

    private static void revoke(TestApp.Running running, String token) {
        try (Http1ClientResponse res = TestApp.postForm(running.client(), "/revoke", "token=" + token)) {
            assertThat(res.status().code(), is(200));
        }
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes());
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
