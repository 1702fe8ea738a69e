package dev.tokenservice.protection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import dev.tokenservice.TestClock;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.FailureState;
import dev.tokenservice.store.memory.InMemoryFailureCounters;

import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The throttling policy on the failure counters, with a clock the test moves: no test waits for real time.
 */
class LoginProtectionTest {
    private static final LoginProtectionSettings DEFAULTS = new LoginProtectionSettings(
            true, 5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15));
    private static final LoginProtection.Kind USER = LoginProtection.Kind.USER;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryFailureCounters counters = new InMemoryFailureCounters(clock, Duration.ofHours(1), 1000);
    private final List<String> throttled = new ArrayList<>();
    private final LoginProtection protection = new LoginProtection(DEFAULTS, counters, clock, throttled::add);

    @Test
    void delayDoublesFromTheThresholdUpToTheCap() {
        assertThat(DEFAULTS.delay(4, 5), is(Duration.ZERO));
        assertThat(DEFAULTS.delay(5, 5), is(Duration.ofSeconds(1)));
        assertThat(DEFAULTS.delay(6, 5), is(Duration.ofSeconds(2)));
        assertThat(DEFAULTS.delay(14, 5), is(Duration.ofSeconds(512)));
        assertThat(DEFAULTS.delay(15, 5), is(Duration.ofMinutes(15)));
        assertThat(DEFAULTS.delay(Integer.MAX_VALUE, 5), is(Duration.ofMinutes(15)));
    }

    @Test
    void usernameWaitsAfterThresholdAndWaitGrows() {
        for (int i = 0; i < 4; i++) {
            protection.admit(USER, "alice", "192.0.2.1");
            protection.failed(USER, "alice", "192.0.2.1");
        }
        protection.admit(USER, "alice", "192.0.2.1");
        protection.failed(USER, "alice", "192.0.2.1");
        assertThat(refusal("alice", "192.0.2.2").retryAfter().getAsLong(), is(1L));

        clock.advance(Duration.ofSeconds(1));
        protection.admit(USER, "alice", "192.0.2.2");
        protection.failed(USER, "alice", "192.0.2.2");
        assertThat(refusal("alice", "192.0.2.3").retryAfter().getAsLong(), is(2L));
        clock.advance(Duration.ofMillis(1500));
        assertThat(refusal("alice", "192.0.2.3").retryAfter().getAsLong(), is(1L));
        clock.advance(Duration.ofMillis(500));
        protection.admit(USER, "alice", "192.0.2.3");
        assertThat(throttled, everyItem(is("username")));
    }

    @Test
    void successResetsTheUsernameButNotTheAddress() {
        for (int i = 0; i < 19; i++) {
            protection.failed(USER, "user-" + i, "192.0.2.1");
        }
        protection.failed(USER, "alice", "192.0.2.1");
        protection.succeeded(USER, "alice");
        // the twentieth failure of the address is counted: the success did not take it back
        OAuthError refused = refusal("bob", "192.0.2.1");
        assertThat(refused.retryAfter().getAsLong(), is(1L));
        assertThat(throttled, contains("address"));
        protection.admit(USER, "bob", "198.51.100.1");
        // the username counter of alice did restart
        for (int i = 0; i < 4; i++) {
            protection.failed(USER, "alice", "198.51.100.2");
        }
        protection.admit(USER, "alice", "198.51.100.2");
    }

    @Test
    void aQuietAddressStartsOver() {
        for (int i = 0; i < 19; i++) {
            protection.failed(USER, "user-" + i, "192.0.2.1");
            clock.advance(Duration.ofMinutes(14));
        }
        // nineteen failures, each within 14 minutes of the last: the next one is the twentieth
        protection.failed(USER, "user-19", "192.0.2.1");
        refusal("someone", "192.0.2.1");
        clock.advance(Duration.ofSeconds(1).plus(Duration.ofMinutes(15)).plusMillis(1));
        protection.failed(USER, "user-20", "192.0.2.1");
        protection.admit(USER, "someone", "192.0.2.1");
    }

    @Test
    void clientFailuresAreRefusedAsInvalidClient() {
        for (int i = 0; i < 5; i++) {
            protection.failed(LoginProtection.Kind.CLIENT, "api", "192.0.2.1");
        }
        OAuthError refused = assertThrows(OAuthError.class,
                                          () -> protection.admit(LoginProtection.Kind.CLIENT, "api", "192.0.2.9"));
        assertThat(refused.error(), is("invalid_client"));
        assertThat(refused.status(), is(Status.TOO_MANY_REQUESTS_429));
        assertThat(throttled, contains("client"));
        // the username of the same name is another counter
        protection.admit(USER, "api", "192.0.2.9");
    }

    @Test
    void disabledProtectionCountsNothing() {
        LoginProtection off = new LoginProtection(new LoginProtectionSettings(
                false, 5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15)),
                counters, clock, throttled::add);
        for (int i = 0; i < 50; i++) {
            off.failed(USER, "alice", "192.0.2.1");
        }
        off.admit(USER, "alice", "192.0.2.1");
        assertThat(counters.size(), is(0));
    }

    @Test
    void keysHoldNoNameOrAddressAndStayShort() {
        List<String> keys = new ArrayList<>();
        FailureCounters recording = new FailureCounters() {
            @Override
            public FailureState get(String key) {
                keys.add(key);
                return FailureState.NONE;
            }

            @Override
            public FailureState recordFailure(String key, Instant now, IntFunction<Duration> delay) {
                keys.add(key);
                return new FailureState(1, now);
            }

            @Override
            public void reset(String key) {
                keys.add(key);
            }
        };
        LoginProtection watched = new LoginProtection(DEFAULTS, recording, clock, throttled::add);
        String longName = "jane.smith" + "x".repeat(10_000);
        watched.admit(USER, longName, "192.0.2.77");
        watched.failed(USER, longName, "192.0.2.77");
        watched.succeeded(LoginProtection.Kind.CLIENT, "resource-server");
        // two reads, a failure of the name, a read and a failure of the address, a reset
        assertThat(keys.size(), is(6));
        assertThat(keys, everyItem(not(containsString("jane.smith"))));
        assertThat(keys, everyItem(not(containsString("192.0.2.77"))));
        assertThat(keys, everyItem(not(containsString("resource-server"))));
        assertThat(keys.stream().map(String::length).toList(),
                   everyItem(lessThanOrEqualTo(FailureCounters.MAX_KEY_LENGTH)));
    }

    @Test
    void attackerChosenNamesCannotGrowTheCountersWithoutLimit() {
        InMemoryFailureCounters bounded = new InMemoryFailureCounters(clock, Duration.ofHours(1), 100);
        LoginProtection guarded = new LoginProtection(DEFAULTS, bounded, clock, throttled::add);
        for (int i = 0; i < 5000; i++) {
            guarded.failed(USER, "random-user-" + i, "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        assertThat(bounded.size(), lessThanOrEqualTo(102));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalStateException.class, () -> new LoginProtectionSettings(
                true, 0, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(15)));
        assertThrows(IllegalStateException.class, () -> new LoginProtectionSettings(
                true, 5, 20, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(15)));
    }

    private OAuthError refusal(String username, String address) {
        OAuthError refused = assertThrows(OAuthError.class, () -> protection.admit(USER, username, address));
        assertThat(refused.status(), is(Status.TOO_MANY_REQUESTS_429));
        assertThat(refused.error(), is("invalid_grant"));
        return refused;
    }
}
