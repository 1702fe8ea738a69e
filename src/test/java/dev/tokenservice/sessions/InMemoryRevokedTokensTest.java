package dev.tokenservice.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.tokenservice.TestClock;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class InMemoryRevokedTokensTest {
    private static final Duration LEEWAY = Duration.ofSeconds(5);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, LEEWAY);

    @Test
    void idIsRememberedUntilTheTokenExpiresPlusLeewayAndNoLonger() {
        Instant exp = clock.instant().plus(Duration.ofMinutes(30));
        revoked.revoke("jti-1", exp);
        assertThat(revoked.isRevoked("jti-1"), is(true));
        assertThat(revoked.isRevoked("jti-2"), is(false));

        clock.advance(Duration.ofMinutes(30).plusSeconds(4));
        revoked.purgeExpired();
        // the resource server still accepts the token for a few seconds of clock skew: so must the refusal last
        assertThat(revoked.isRevoked("jti-1"), is(true));

        clock.advance(Duration.ofSeconds(1));
        revoked.purgeExpired();
        assertThat(revoked.isRevoked("jti-1"), is(false));
        assertThat(revoked.size(), is(0));
    }

    @Test
    void expiredTokenNeedsNoEntry() {
        revoked.revoke("old", clock.instant().minus(LEEWAY));
        assertThat(revoked.isRevoked("old"), is(false));
        assertThat(revoked.size(), is(0));
    }

    @Test
    void sizeStaysBoundedAsRevocationsGoOnAndTimeMoves() {
        Duration ttl = Duration.ofMinutes(30);
        int maxSize = 0;
        for (int i = 0; i < 50_000; i++) {
            revoked.revoke(UUID.randomUUID().toString(), clock.instant().plus(ttl));
            clock.advance(Duration.ofSeconds(1));
            maxSize = Math.max(maxSize, revoked.size());
        }
        // one revocation a second of 30-minute tokens, purged at least once a minute
        assertThat(maxSize, lessThanOrEqualTo((int) (ttl.toSeconds() + LEEWAY.toSeconds() + 60)));
    }

    @Test
    void checksAloneKeepPurging() {
        revoked.revoke("jti", clock.instant().plusSeconds(10));
        clock.advance(Duration.ofMinutes(2));
        // no revocation since: the check on the request path purges when a purge is due
        assertThat(revoked.isRevoked("jti"), is(false));
        assertThat(revoked.size(), is(0));
    }
}
