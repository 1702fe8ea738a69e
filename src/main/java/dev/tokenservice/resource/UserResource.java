package dev.tokenservice.resource;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;
import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;

/**
 * {@code GET /users/me}: the caller's profile, needs scope {@code me}.
 * <p>
 * {@code curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/users/me}
 */
public final class UserResource implements HttpService {
    private final BearerGuard guard;
    private final UserStore users;
    /** Each user's answer, written once per {@link User} value (a reload of the users makes new values). */
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();

    public UserResource(BearerGuard guard, UserStore users) {
        this.guard = guard;
        this.users = users;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/me", guard.protect("me", this::me))
                .any("/me", ErrorHandling.methodNotAllowed(Method.GET));
    }

    private void me(ServerRequest req, ServerResponse res) {
        // the access token rule has checked that the user exists and is active
        User user = users.find(BearerGuard.username(req)).orElseThrow();
        Profile profile = profiles.get(user.username());
        if (profile == null || profile.user() != user) {
            profile = new Profile(user, json(user));
            profiles.put(user.username(), profile);
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(profile.json());
    }

    private static byte[] json(User user) {
        JsonObjectBuilder body = JsonErrors.JSON.createObjectBuilder()
                .add("username", user.username())
                .add("full_name", user.fullName());
        user.emailAddress().ifPresent(email -> body.add("email", email));
        body.add("disabled", user.disabled());
        StringWriter out = new StringWriter();
        try (JsonWriter writer = Json.createWriter(out)) {
            writer.write(body.build());
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private record Profile(User user, byte[] json) {
    }
}
