package dev.tokenservice.users;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tokenservice.TestApp;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigUserStoreTest {
    private static final String HASH = "$2a$04$NJQt.X4oHGaYUC.sTkbQNOd1B3EdFy.uVltAfNGgHXEyxg.nauQO6";

    @TempDir
    Path dir;

    @Test
    void readsUsersOfConfigAndOfTheUsersFile() throws Exception {
        Path file = usersFile("dave");
        UserStore store = ConfigUserStore.create(app(Map.of("users.0.username", "alice",
                                                            "users.0.password-hash", HASH,
                                                            "users.0.scopes.0", "me",
                                                            "users-file", file.toString())), Set.of("me", "items"), 4);
        assertThat(store.find("alice").orElseThrow().scopes(), is(Set.of("me")));
        User dave = store.find("dave").orElseThrow();
        assertThat(dave.fullName(), is("Dave"));
        assertThat(dave.emailAddress().isEmpty(), is(true));
        assertThat(dave.scopes(), is(Set.of("me", "items")));
        assertThat(store.find("Dave").isPresent(), is(false));
    }

    @Test
    void userInConfigAndInFileIsADuplicate() throws Exception {
        Path file = usersFile("alice");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigUserStore.create(
                app(Map.of("users.0.username", "alice", "users.0.password-hash", HASH, "users-file", file.toString())),
                Set.of("me", "items"), 4));
        assertThat(e.getMessage(), containsString("User 'alice' is configured more than once"));
    }

    @Test
    void missingUsersFileStopsStartUp() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigUserStore.create(
                app(Map.of("users-file", dir.resolve("none.yaml").toString())), Set.of("me"), 4));
        assertThat(e.getMessage(), containsString("does not exist"));
    }

    @Test
    void userWithoutUsernameStopsStartUp() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigUserStore.create(
                app(Map.of("users.0.password-hash", HASH)), Set.of("me"), 4));
        assertThat(e.getMessage(), containsString("User #0 has no username"));
    }

    @Test
    void usernameThatLooksLikeAClientStopsStartUp() {
        // answers write a client as "client:<id>": a user must not be able to look like one
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigUserStore.create(
                app(Map.of("users.0.username", "client:batch-job", "users.0.password-hash", HASH)), Set.of("me"), 4));
        assertThat(e.getMessage(), containsString("User 'client:batch-job' has a username that starts with 'client:'"));
    }

    @Test
    void aChangedValidUsersFileReplacesTheUsers() throws Exception {
        Path file = usersFile("dave");
        ConfigUserStore store = fileStore(file);
        assertThat(store.find("dave").orElseThrow().disabled(), is(false));
        Files.writeString(file, """
                users:
                  - username: "dave"
                    password-hash: "%1$s"
                    disabled: true
                  - username: "erin"
                    password-hash: "%1$s"
                    scopes: ["me"]
                """.formatted(HASH));
        assertThat(store.reload(), is(true));
        assertThat(store.find("dave").orElseThrow().disabled(), is(true));
        assertThat(store.find("erin").orElseThrow().scopes(), is(Set.of("me")));
        // unchanged: nothing to do
        assertThat(store.reload(), is(false));
        Files.writeString(file, "users: []\n");
        assertThat(store.reload(), is(true));
        assertThat(store.find("dave").isPresent(), is(false));
    }

    @Test
    void anInvalidUsersFileIsRefusedAndTheCurrentUsersStay() throws Exception {
        Path file = usersFile("dave");
        ConfigUserStore store = fileStore(file);
        for (String broken : List.of("users:\n  - username: \"dave\"\n    password-hash: \"not-a-hash\"\n",
                                     "users: [\n",
                                     "users:\n  - username: \"dave\"\n    password-hash: \"" + HASH
                                             + "\"\n    disabld: true\n",
                                     "users:\n  - username: \"dave\"\n    password-hash: \"" + HASH
                                             + "\"\n    disabled: maybe\n")) {
            Files.writeString(file, broken);
            assertThat(broken, store.reload(), is(false));
            assertThat(broken, store.find("dave").orElseThrow().fullName(), is("Dave"));
        }
        Files.delete(file);
        assertThat(store.reload(), is(false));
        assertThat(store.find("dave").isPresent(), is(true));
    }

    @Test
    void aMisspelledSettingInTheUsersFileStopsStartUp() throws Exception {
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, "users:\n  - username: \"dave\"\n    password-hash: \"" + HASH
                + "\"\n    disabld: true\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fileStore(file));
        assertThat(e.getMessage(), containsString("app.users-file " + file + ": users.0.disabld: not a setting"));
    }

    private ConfigUserStore fileStore(Path file) {
        // reload by hand: the watch would race the test
        return ConfigUserStore.create(app(Map.of("users-file", file.toString(), "users-reload-interval", "PT0S")),
                                      Set.of("me", "items"), 4);
    }

    private Path usersFile(String username) throws Exception {
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, """
                users:
                  - username: "%s"
                    full-name: "Dave"
                    password-hash: "%s"
                    scopes: ["me", "items"]
                """.formatted(username, HASH));
        return file;
    }

    private static Config app(Map<String, String> values) {
        return TestApp.section("app", values);
    }
}
