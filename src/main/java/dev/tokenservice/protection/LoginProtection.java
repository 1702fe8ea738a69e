package dev.tokenservice.protection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;

import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.FailureState;

/**
 * Brute-force protection of the password grant and of client authentication (RFC 6749 §4.3.2, §10.10): consecutive
 * failures are counted per username, per client id and per client address in the shared {@link FailureCounters};
 * past a threshold each further failure doubles a wait, during which every attempt of that username, client id or
 * address is refused at once with {@code 429} and {@code Retry-After}, before any password or secret is checked,
 * so the right password is refused too. A success resets the counter of the username or client id, never that of
 * the address: one good login must not reset an attacker's spray.
 * <p>
 * The checks never look the username up, so an unknown username is counted and refused exactly as an existing one.
 * Counter keys are SHA-256 hashes, so the store never holds a username or an address in plain form.
 */
public final class LoginProtection {
    private final LoginProtectionSettings settings;
    private final FailureCounters counters;
    private final Clock clock;
    private final Consumer<String> throttled;

    /**
     * Creates the protection.
     *
     * @param throttled told the reason ({@code username}, {@code client} or {@code address}) of every refused attempt
     */
    public LoginProtection(LoginProtectionSettings settings, FailureCounters counters, Clock clock,
                           Consumer<String> throttled) {
        this.settings = settings;
        this.counters = counters;
        this.clock = clock;
        this.throttled = throttled;
    }

    /**
     * Lets an attempt through, or refuses it while its name or its address waits.
     *
     * @param name    the username or client id sent
     * @throws OAuthError {@code 429} with the error of a failed attempt of this kind and the seconds to wait
     */
    public void admit(Kind kind, String name, String address) {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        FailureState own = counters.get(kind.key(name));
        FailureState fromAddress = counters.get(addressKey(address));
        boolean ownWaits = own.blockedAt(now);
        boolean addressWaits = fromAddress.blockedAt(now);
        if (!ownWaits && !addressWaits) {
            return;
        }
        boolean byOwn = ownWaits && (!addressWaits || !own.blockedUntil().isBefore(fromAddress.blockedUntil()));
        Instant until = byOwn ? own.blockedUntil() : fromAddress.blockedUntil();
        throttled.accept(byOwn ? kind.reason : "address");
        throw OAuthError.throttled(kind.error, retryAfter(now, until));
    }

    /**
     * Counts a failed attempt of a name and of its address.
     *
     * @param kind    what was being authenticated
     * @param name    the username or client id sent
     */
    public void failed(Kind kind, String name, String address) {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        counters.recordFailure(kind.key(name), now, failures -> settings.delay(failures, settings.threshold()));
        String addressKey = addressKey(address);
        // below the threshold blockedUntil is the time of the last failure; above it, the end of the last wait
        FailureState previous = counters.get(addressKey);
        if (previous.failures() > 0 && now.isAfter(previous.blockedUntil().plus(settings.addressForgetting()))) {
            counters.reset(addressKey);
        }
        counters.recordFailure(addressKey, now, failures -> settings.delay(failures, settings.addressThreshold()));
    }

    /**
     * Resets the counter of a name after a successful attempt.
     *
     * @param name the username or client id
     */
    public void succeeded(Kind kind, String name) {
        if (settings.enabled()) {
            counters.reset(kind.key(name));
        }
    }

    /** Failures of either kind from one client address share one counter. */
    private static String addressKey(String address) {
        return hashedKey("addr", address);
    }

    private static String hashedKey(String prefix, String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((prefix + '\0' + name).getBytes(StandardCharsets.UTF_8));
            return prefix + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static long retryAfter(Instant now, Instant until) {
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /** What a counter counts. */
    public enum Kind {
        /** Password logins of a username. */
        USER("user", "username", "invalid_grant"),
        /** Authentications of a client id. */
        CLIENT("client", "client", "invalid_client");

        private final String prefix;
        private final String reason;
        private final String error;

        Kind(String prefix, String reason, String error) {
            this.prefix = prefix;
            this.reason = reason;
            this.error = error;
        }

        private String key(String name) {
            return hashedKey(prefix, name);
        }
    }
}
