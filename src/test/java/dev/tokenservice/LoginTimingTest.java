package dev.tokenservice;

import java.util.Arrays;
import java.util.Map;

import dev.tokenservice.users.PasswordHasher;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * An unknown username is refused after a bcrypt check as costly as a wrong password's, so the time of the answer
 * does not tell whether the user exists. A loose ratio of medians, measured side by side, at a cost high enough
 * (10, about 50 ms) to dwarf the rest of the request.
 */
class LoginTimingTest {
    private static final int COST = 10;
    private static final int ROUNDS = 7;

    @Test
    void unknownUserTakesAsLongAsWrongPassword() {
        String hash = new PasswordHasher(COST).hash("right-password");
        TestApp.Instance instance = TestApp.create(Map.of("app.password.bcrypt-cost", String.valueOf(COST),
                                                          "app.users.0.password-hash", hash));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            login(running, "alice", "warm-up");
            long[] unknown = new long[ROUNDS];
            long[] wrong = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                unknown[i] = timedLogin(running, "nobody-" + i);
                wrong[i] = timedLogin(running, "alice");
            }
            double ratio = (double) median(unknown) / median(wrong);
            assertThat("unknown/wrong median ratio " + ratio, ratio, allOf(greaterThan(0.5), lessThan(2.0)));
        }
    }

    private static long timedLogin(TestApp.Running running, String username) {
        long start = System.nanoTime();
        login(running, username, "wrong-password");
        return System.nanoTime() - start;
    }

    private static void login(TestApp.Running running, String username, String password) {
        try (Http1ClientResponse res = running.client().post("/token")
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=" + username + "&password=" + password)) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
