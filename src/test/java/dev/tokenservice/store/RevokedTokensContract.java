package dev.tokenservice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.tokenservice.TestClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * What every {@link RevokedTokens} must do, run against each implementation by a subclass.
 */
public abstract class RevokedTokensContract {
    protected static final Duration LEEWAY = Duration.ofSeconds(5);

    protected final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    protected Subject subject;

    /**
     * A store under test on {@link #clock}, with {@link #LEEWAY}.
     */
    public interface Subject extends AutoCloseable {
        RevokedTokens revoked();

        /** Removes what has expired, as the background purge does. */
        void purge();

        /** Ids held. */
        int size();

        @Override
        void close();
    }

    protected abstract Subject open();

    /** Revocations of the boundedness test. */
    protected abstract int boundednessRevocations();

    @BeforeEach
    protected void openSubject() {
        subject = open();
    }

    @AfterEach
    protected void closeSubject() {
        subject.close();
    }

    @Test
    void idIsRememberedUntilTheTokenExpiresPlusLeewayAndNoLonger() {
        Instant exp = clock.instant().plus(Duration.ofMinutes(30));
        subject.revoked().revoke("jti-1", exp);
        assertThat(subject.revoked().isRevoked("jti-1"), is(true));
        assertThat(subject.revoked().isRevoked("jti-2"), is(false));

        clock.advance(Duration.ofMinutes(30).plusSeconds(4));
        subject.purge();
        // the resource server still accepts the token for a few seconds of clock skew: so must the refusal last
        assertThat(subject.revoked().isRevoked("jti-1"), is(true));

        clock.advance(Duration.ofSeconds(1));
        subject.purge();
        assertThat(subject.revoked().isRevoked("jti-1"), is(false));
        assertThat(subject.size(), is(0));
    }

    @Test
    void expiredTokenNeedsNoEntry() {
        subject.revoked().revoke("old", clock.instant().minus(LEEWAY));
        assertThat(subject.revoked().isRevoked("old"), is(false));
        assertThat(subject.size(), is(0));
    }

    @Test
    void revokingTwiceKeepsTheLaterExpiry() {
        subject.revoked().revoke(new AccessTokenId("twice", clock.instant().plusSeconds(60)));
        subject.revoked().revoke(new AccessTokenId("twice", clock.instant().plusSeconds(60)));
        assertThat(subject.size(), is(1));
        clock.advance(Duration.ofSeconds(64));
        subject.purge();
        assertThat(subject.revoked().isRevoked("twice"), is(true));
    }

    @Test
    void sizeStaysBoundedAsRevocationsGoOnAndTimeMoves() {
        Duration ttl = Duration.ofMinutes(5);
        int maxSize = 0;
        for (int i = 0; i < boundednessRevocations(); i++) {
            subject.revoked().revoke(UUID.randomUUID().toString(), clock.instant().plus(ttl));
            clock.advance(Duration.ofSeconds(1));
            if (i % 60 == 59) {
                subject.purge();
            }
            maxSize = Math.max(maxSize, subject.size());
        }
        // one revocation a second of 5-minute tokens, purged once a minute
        assertThat(maxSize, lessThanOrEqualTo((int) (ttl.toSeconds() + LEEWAY.toSeconds() + 60)));
    }

    @Test
    void aStoreThatHearsNoDatabaseIsCurrent() {
        assertThat(subject.revoked().current(), is(true));
    }
}
