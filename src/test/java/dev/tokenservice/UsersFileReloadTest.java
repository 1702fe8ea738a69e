package dev.tokenservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.tokenservice.users.PasswordHasher;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * The users file of a running server, changed under it as a Kubernetes Secret is: a valid change takes effect
 * within the reload interval, a disabled or removed user is refused on the next request even with a token issued
 * before, and an invalid file is read, refused in the log, and changes nothing.
 */
class UsersFileReloadTest {
    @TempDir
    Path dir;

    @Test
    void aRunningServerFollowsTheUsersFile() throws Exception {
        String hash = new PasswordHasher(AuthServer.bcryptCost(TestApp.config(Map.of()))).hash("fiona-password");
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, users(hash, "fiona", false));
        TestApp.Instance instance = TestApp.create(Map.of("app.users-file", file.toString(),
                                                          "app.users-reload-interval", "PT0.1S"));
        try (TestApp.Running running = TestApp.start(instance.server()); CapturedLog log = new CapturedLog()) {
            String token = TestApp.token(running.client(), "fiona", "fiona-password");
            assertThat(TestApp.usersMe(running.client(), token), is(200));

            // disabled: the token issued before is refused, and so is a new login
            Files.writeString(file, users(hash, "fiona", true));
            eventually(() -> TestApp.usersMe(running.client(), token), is(401));
            assertThat(login(running, "fiona"), is(400));

            // a file that does not validate changes nothing: once it was read and refused, fiona stays disabled
            // and gus does not appear
            Files.writeString(file, users("not-a-hash", "gus", false));
            eventually(log::problems, hasItem(containsString("Refused the changed app.users-file " + file + ":")));
            assertThat(login(running, "gus"), is(400));
            assertThat(TestApp.usersMe(running.client(), token), is(401));

            // enabled again, then removed
            Files.writeString(file, users(hash, "fiona", false));
            eventually(() -> TestApp.usersMe(running.client(), token), is(200));
            Files.writeString(file, users(hash, "gus", false));
            eventually(() -> TestApp.usersMe(running.client(), token), is(401));
            assertThat(login(running, "gus"), is(200));
        }
    }

    @Test
    void theProfileFollowsTheUsersFile() throws Exception {
        String hash = new PasswordHasher(AuthServer.bcryptCost(TestApp.config(Map.of()))).hash("fiona-password");
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, named(users(hash, "fiona", false), "Fiona One"));
        TestApp.Instance instance = TestApp.create(Map.of("app.users-file", file.toString(),
                                                          "app.users-reload-interval", "PT0.1S"));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            String token = TestApp.token(running.client(), "fiona", "fiona-password");
            assertThat(fullName(running, token), is("Fiona One"));
            assertThat(fullName(running, token), is("Fiona One"));

            Files.writeString(file, named(users(hash, "fiona", false), "Fiona Two"));
            eventually(() -> fullName(running, token), is("Fiona Two"));
        }
    }

    private static String named(String users, String fullName) {
        return users.replace("disabled:", "full-name: \"" + fullName + "\"\n    disabled:");
    }

    private static String fullName(TestApp.Running running, String token) {
        try (Http1ClientResponse res = running.client().get("/users/me")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
            assertThat(res.status().code(), is(200));
            assertThat(res.headers().contentType().orElseThrow().mediaType().text(), is("application/json"));
            return res.as(JsonObject.class).getString("full_name");
        }
    }

    private static String users(String hash, String username, boolean disabled) {
        return """
                users:
                  - username: "%s"
                    password-hash: "%s"
                    disabled: %s
                    scopes: ["me", "items"]
                """.formatted(username, hash, disabled);
    }

    private static int login(TestApp.Running running, String username) {
        try (Http1ClientResponse res = running.client().post("/token")
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=" + username + "&password=fiona-password")) {
            return res.status().code();
        }
    }
}
