package dev.tokenservice.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenservice.TestClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * What every {@link RefreshTokenStore} must do, run against each implementation by a subclass.
 */
public abstract class RefreshTokenStoreContract {
    protected static final Set<String> SCOPES = Set.of("me", "items");

    protected final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final List<Subject> opened = new ArrayList<>();

    /**
     * A store under test, with the revoked tokens it revokes into, on {@link #clock}.
     */
    public interface Subject extends AutoCloseable {
        RefreshTokenStore store();

        RevokedTokens revoked();

        /** Removes what has expired, as the background purge does. */
        void purge();

        /** Token hashes held, current and used. */
        int hashCount();

        /** Families held. */
        int familyCount();

        /** Whether this exact string is held as a token hash. */
        boolean holds(String hash);

        @Override
        void close();
    }

    /**
     * Opens an empty store.
     *
     * @param settings lifetimes and caps
     * @return the store
     */
    protected abstract Subject open(RefreshTokenSettings settings);

    /** Rounds of the concurrent redemption race. */
    protected abstract int raceRounds();

    /** Logins of the boundedness test. */
    protected abstract int boundednessCycles();

    @AfterEach
    protected void closeAll() {
        opened.forEach(Subject::close);
    }

    @Test
    void tokenIs256RandomBitsAndStoredOnlyAsItsSha256() throws Exception {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        String token = issue(subject, "alice", SCOPES).token();
        String other = issue(subject, "alice", SCOPES).token();

        assertThat(token.matches("[A-Za-z0-9_-]{43}"), is(true));
        assertThat(Base64.getUrlDecoder().decode(token).length, is(32));
        assertThat(token, not(other));
        String sha256 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        assertThat(subject.holds(sha256), is(true));
        assertThat(subject.holds(token), is(false));
        assertThat(subject.hashCount(), is(2));
    }

    @Test
    void redeemingRotatesToANewTokenOfTheSameFamily() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken first = issue(subject, "alice", SCOPES);

        Redemption.Rotated second = rotated(redeem(subject, first.token(), "app", Set.of()));
        assertThat(second.token(), not(first.token()));
        assertThat(second.session(), is(first.session()));
        Redemption.Rotated third = rotated(redeem(subject, second.token(), "app", Set.of()));
        assertThat(third.session().familyId(), is(first.session().familyId()));
    }

    @Test
    void reusedTokenRevokesTheFamilyWithItsNewestTokenAndAccessTokens() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken first = subject.store().issue("alice", "app", SCOPES, accessToken("login-at"));
        String second = rotated(subject.store().redeem(first.token(), "app", Set.of(), accessToken("refresh-at")))
                .token();
        IssuedRefreshToken otherLogin = issue(subject, "alice", SCOPES);

        assertThat(redeem(subject, first.token(), "app", Set.of()), is(refused(Redemption.Reason.REUSED)));
        assertThat(redeem(subject, second, "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(subject.store().find(second).isPresent(), is(false));
        assertThat(subject.revoked().isRevoked("login-at"), is(true));
        assertThat(subject.revoked().isRevoked("refresh-at"), is(true));
        // another login of the same user is another family
        assertThat(redeem(subject, otherLogin.token(), "app", Set.of()), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void otherClientOrWiderScopeIsRefusedWithoutUsingTheToken() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = issue(subject, "alice", Set.of("me"));

        assertThat(redeem(subject, issued.token(), "other-app", Set.of()),
                   is(refused(Redemption.Reason.OTHER_CLIENT)));
        assertThat(redeem(subject, issued.token(), "app", Set.of("me", "items")),
                   is(refused(Redemption.Reason.SCOPE_WIDENED)));
        assertThat(redeem(subject, issued.token(), "app", Set.of("me")), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void narrowedRefreshKeepsTheFamilyScope() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = issue(subject, "alice", SCOPES);

        Redemption.Rotated narrowed = rotated(redeem(subject, issued.token(), "app", Set.of("items")));
        assertThat(narrowed.session().scopes(), is(SCOPES));
        assertThat(redeem(subject, narrowed.token(), "app", SCOPES), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void tokenUnusedForTheIdleLifetimeExpires() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(10));
        String token = issue(subject, "alice", SCOPES).token();

        clock.advance(Duration.ofMinutes(59));
        token = rotated(redeem(subject, token, "app", Set.of())).token();
        // each refresh starts a new idle period
        clock.advance(Duration.ofMinutes(59));
        token = rotated(redeem(subject, token, "app", Set.of())).token();
        clock.advance(Duration.ofMinutes(60));
        assertThat(subject.store().find(token).isPresent(), is(false));
        assertEnded(redeem(subject, token, "app", Set.of()));
        assertThat(subject.familyCount(), is(0));
    }

    @Test
    void expiredTokenIsRefusedAsExpiredBeforeAnyPurge() {
        Subject subject = subject(Duration.ofSeconds(30), Duration.ofHours(1));
        String token = issue(subject, "alice", SCOPES).token();
        clock.advance(Duration.ofSeconds(30));
        assertThat(redeem(subject, token, "app", Set.of()), is(refused(Redemption.Reason.EXPIRED)));
        assertThat(subject.familyCount(), is(0));
    }

    @Test
    void familyEndsAtItsAbsoluteExpiryHoweverOftenRefreshed() {
        Subject subject = subject(Duration.ofHours(2), Duration.ofHours(3));
        IssuedRefreshToken issued = issue(subject, "alice", SCOPES);
        assertThat(issued.session().absoluteExpiry(), is(clock.instant().plus(Duration.ofHours(3))));

        clock.advance(Duration.ofMinutes(110));
        String token = rotated(redeem(subject, issued.token(), "app", Set.of())).token();
        // the new token's idle period would last until 3h50; the family ends at 3h
        clock.advance(Duration.ofMinutes(69));
        token = rotated(redeem(subject, token, "app", Set.of())).token();
        clock.advance(Duration.ofMinutes(1));
        assertEnded(redeem(subject, token, "app", Set.of()));
    }

    @Test
    void concurrentRedemptionsOfOneTokenRotateItExactlyOnce() throws Exception {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < raceRounds(); round++) {
                String token = issue(subject, "alice", SCOPES).token();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Redemption>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return redeem(subject, token, "app", Set.of());
                    }));
                }
                start.countDown();
                int rotations = 0;
                for (Future<Redemption> result : results) {
                    Redemption redemption = result.get();
                    if (redemption instanceof Redemption.Rotated) {
                        rotations++;
                    } else {
                        // the losers see the token used (and end the family), or the family already ended
                        assertThat(redemption, anyOf(is(refused(Redemption.Reason.REUSED)),
                                                     is(refused(Redemption.Reason.UNKNOWN))));
                    }
                }
                assertThat("round " + round, rotations, is(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void storeStaysBoundedOverManyLoginsAndRefreshesAsTimeMoves() {
        Duration absolute = Duration.ofMinutes(10);
        Subject subject = subject(Duration.ofMinutes(2), absolute);
        int refreshesPerLogin = 3;
        int maxSize = 0;
        for (int i = 0; i < boundednessCycles(); i++) {
            String token = issue(subject, "user-" + (i % 50), SCOPES).token();
            for (int r = 0; r < refreshesPerLogin; r++) {
                token = rotated(redeem(subject, token, "app", Set.of())).token();
            }
            clock.advance(Duration.ofSeconds(1));
            if (i % 60 == 59) {
                subject.purge();
            }
            maxSize = Math.max(maxSize, subject.hashCount());
        }
        // families live at most ten minutes and a purge runs every minute: with one login a second, at most
        // 600 + 60 families hold 4 hashes each, where the history would pile up without purging
        long bound = (absolute.toSeconds() + 60) * (refreshesPerLogin + 1);
        assertThat(maxSize, lessThanOrEqualTo((int) bound));
        assertThat(subject.familyCount(), lessThanOrEqualTo((int) absolute.toSeconds() + 60));
        assertThat(subject.hashCount() > 0, is(true));
    }

    @Test
    void purgeForgetsEndedAndRevokedFamilies() {
        Subject subject = subject(Duration.ofMinutes(10), Duration.ofHours(1));
        String ended = issue(subject, "alice", SCOPES).token();
        IssuedRefreshToken revokedFamily = issue(subject, "bob", SCOPES);
        subject.store().revokeFamily(revokedFamily.session().familyId());
        clock.advance(Duration.ofMinutes(5));
        String live = issue(subject, "carol", SCOPES).token();
        clock.advance(Duration.ofMinutes(6));

        subject.purge();
        assertThat(subject.hashCount(), is(1));
        assertThat(subject.familyCount(), is(1));
        assertThat(subject.store().find(live).isPresent(), is(true));
        assertThat(subject.store().find(ended).isPresent(), is(false));
    }

    @Test
    void revokeUserEndsEveryFamilyOfThatUserOnly() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken laptop = issue(subject, "alice", SCOPES);
        IssuedRefreshToken phone = subject.store().issue("alice", "mobile", SCOPES, accessToken("phone-at"));
        IssuedRefreshToken bob = subject.store().issue("bob", "app", SCOPES, accessToken("bob-at"));

        assertThat(subject.store().revokeUser("alice"), is(2));
        assertThat(redeem(subject, laptop.token(), "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(redeem(subject, phone.token(), "mobile", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(subject.revoked().isRevoked("phone-at"), is(true));
        assertThat(subject.revoked().isRevoked("bob-at"), is(false));
        assertThat(redeem(subject, bob.token(), "app", Set.of()), instanceOf(Redemption.Rotated.class));
        assertThat(subject.store().revokeUser("alice"), is(0));
    }

    @Test
    void revokeFamilySaysWhetherItExisted() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = issue(subject, "alice", SCOPES);
        assertThat(subject.store().revokeFamily(issued.session().familyId()), is(true));
        assertThat(subject.store().revokeFamily(issued.session().familyId()), is(false));
        assertThat(subject.store().revokeFamily(UUID.randomUUID().toString()), is(false));
        assertThat(subject.store().find(issued.token()).isPresent(), is(false));
    }

    @Test
    void findKnowsCurrentAndUsedTokensOfALiveFamily() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = issue(subject, "alice", SCOPES);
        String next = rotated(redeem(subject, issued.token(), "app", Set.of())).token();

        assertThat(subject.store().find(issued.token()).orElseThrow(), is(issued.session()));
        assertThat(subject.store().find(next).orElseThrow(), is(issued.session()));
        assertThat(subject.store().find("garbage").isPresent(), is(false));
    }

    @Test
    void aLoginBeyondTheSessionCapRevokesTheUsersOldestSession() {
        Subject subject = open(new RefreshTokenSettings(Duration.ofHours(1), Duration.ofHours(2), 3, 20, 50));
        opened.add(subject);
        List<IssuedRefreshToken> logins = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            logins.add(subject.store().issue("alice", "app", SCOPES, accessToken("at-" + i)));
            clock.advance(Duration.ofSeconds(1));
        }
        IssuedRefreshToken bob = issue(subject, "bob", SCOPES);

        assertThat(subject.familyCount(), is(4));
        assertThat(redeem(subject, logins.get(0).token(), "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(subject.revoked().isRevoked("at-0"), is(true));
        for (int i = 1; i < 4; i++) {
            assertThat(subject.revoked().isRevoked("at-" + i), is(false));
            assertThat(redeem(subject, logins.get(i).token(), "app", Set.of()), instanceOf(Redemption.Rotated.class));
        }
        assertThat(redeem(subject, bob.token(), "app", Set.of()), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void aUsedTokenBeyondTheRememberedOnesIsRefusedAsUnknownAndTheFamilyLives() {
        Subject subject = open(new RefreshTokenSettings(Duration.ofHours(1), Duration.ofHours(2), 50, 2, 50));
        opened.add(subject);
        List<String> tokens = new ArrayList<>();
        tokens.add(issue(subject, "alice", SCOPES).token());
        for (int i = 0; i < 4; i++) {
            tokens.add(rotated(redeem(subject, tokens.getLast(), "app", Set.of())).token());
        }
        // current + 2 used hashes remembered
        assertThat(subject.hashCount(), is(3));
        assertThat(redeem(subject, tokens.get(1), "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(redeem(subject, tokens.get(0), "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(subject.familyCount(), is(1));
        // a remembered used token still ends the family
        assertThat(redeem(subject, tokens.get(2), "app", Set.of()), is(refused(Redemption.Reason.REUSED)));
        assertThat(redeem(subject, tokens.get(4), "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
    }

    @Test
    void anAccessTokenBeyondTheSessionsRememberedOnesIsRevoked() {
        Subject subject = open(new RefreshTokenSettings(Duration.ofHours(1), Duration.ofHours(2), 50, 20, 2));
        opened.add(subject);
        String token = subject.store().issue("alice", "app", SCOPES, accessToken("at-0")).token();
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            token = rotated(subject.store().redeem(token, "app", Set.of(), accessToken("at-" + i))).token();
        }
        assertThat(subject.revoked().isRevoked("at-0"), is(true));
        assertThat(subject.revoked().isRevoked("at-1"), is(true));
        assertThat(subject.revoked().isRevoked("at-2"), is(false));
        assertThat(subject.revoked().isRevoked("at-3"), is(false));
        // the two remembered ones still end with the family
        subject.store().revokeUser("alice");
        assertThat(subject.revoked().isRevoked("at-2"), is(true));
        assertThat(subject.revoked().isRevoked("at-3"), is(true));
    }

    @Test
    void expiredAccessTokensAreNotRevokedAgain() {
        Subject subject = subject(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = subject.store().issue("alice", "app", SCOPES,
                                                          new AccessTokenId("short", clock.instant().plusSeconds(60)));
        clock.advance(Duration.ofMinutes(10));
        subject.store().revokeFamily(issued.session().familyId());
        assertThat(subject.revoked().isRevoked("short"), is(false));
    }

    protected Subject subject(Duration idle, Duration absolute) {
        Subject subject = open(new RefreshTokenSettings(idle, absolute));
        opened.add(subject);
        return subject;
    }

    protected AccessTokenId accessToken(String jti) {
        return new AccessTokenId(jti, clock.instant().plus(Duration.ofMinutes(30)));
    }

    protected IssuedRefreshToken issue(Subject subject, String username, Set<String> scopes) {
        return subject.store().issue(username, "app", scopes, accessToken(UUID.randomUUID().toString()));
    }

    protected Redemption redeem(Subject subject, String token, String clientId, Set<String> scopes) {
        return subject.store().redeem(token, clientId, scopes, accessToken(UUID.randomUUID().toString()));
    }

    protected static Redemption.Rotated rotated(Redemption redemption) {
        assertThat(redemption, instanceOf(Redemption.Rotated.class));
        return (Redemption.Rotated) redemption;
    }

    protected static void assertEnded(Redemption redemption) {
        // expired, or already purged as expired
        assertThat(redemption, anyOf(is(refused(Redemption.Reason.EXPIRED)), is(refused(Redemption.Reason.UNKNOWN))));
    }

    /** A refusal for this reason, whatever family it names. */
    protected static org.hamcrest.Matcher<Redemption> refused(Redemption.Reason reason) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Redemption item) {
                return item instanceof Redemption.Refused refused && refused.reason() == reason;
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("refused as " + reason);
            }
        };
    }
}
