package dev.tokenservice.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenservice.TestClock;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

class InMemoryRefreshTokenStoreTest {
    private static final Set<String> SCOPES = Set.of("me", "items");

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, Duration.ofSeconds(5));

    @Test
    void tokenIs256RandomBitsAndStoredOnlyAsItsSha256() throws Exception {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        String token = store.issue("alice", "app", SCOPES).token();
        String other = store.issue("alice", "app", SCOPES).token();

        assertThat(token.matches("[A-Za-z0-9_-]{43}"), is(true));
        assertThat(Base64.getUrlDecoder().decode(token).length, is(32));
        assertThat(token, not(other));
        String sha256 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        assertThat(store.holds(sha256), is(true));
        assertThat(store.holds(token), is(false));
        assertThat(store.size(), is(2));
    }

    @Test
    void redeemingRotatesToANewTokenOfTheSameFamily() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken first = store.issue("alice", "app", SCOPES);

        Redemption.Rotated second = rotated(store.redeem(first.token(), "app", Set.of()));
        assertThat(second.token(), not(first.token()));
        assertThat(second.session(), is(first.session()));
        Redemption.Rotated third = rotated(store.redeem(second.token(), "app", Set.of()));
        assertThat(third.session().familyId(), is(first.session().familyId()));
    }

    @Test
    void reusedTokenRevokesTheFamilyWithItsNewestTokenAndAccessTokens() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken first = store.issue("alice", "app", SCOPES);
        AccessTokenId accessToken = new AccessTokenId("jti-1", clock.instant().plusSeconds(1800));
        store.recordAccessToken(first.session().familyId(), accessToken);
        String second = rotated(store.redeem(first.token(), "app", Set.of())).token();
        IssuedRefreshToken otherLogin = store.issue("alice", "app", SCOPES);

        assertThat(store.redeem(first.token(), "app", Set.of()), is(refused(Redemption.Reason.REUSED)));
        assertThat(store.redeem(second, "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(store.find(second).isPresent(), is(false));
        assertThat(revoked.isRevoked("jti-1"), is(true));
        // another login of the same user is another family
        assertThat(store.redeem(otherLogin.token(), "app", Set.of()), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void otherClientOrWiderScopeIsRefusedWithoutUsingTheToken() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = store.issue("alice", "app", Set.of("me"));

        assertThat(store.redeem(issued.token(), "other-app", Set.of()), is(refused(Redemption.Reason.OTHER_CLIENT)));
        assertThat(store.redeem(issued.token(), "app", Set.of("me", "items")),
                   is(refused(Redemption.Reason.SCOPE_WIDENED)));
        assertThat(store.redeem(issued.token(), "app", Set.of("me")), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void narrowedRefreshKeepsTheFamilyScope() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = store.issue("alice", "app", SCOPES);

        Redemption.Rotated narrowed = rotated(store.redeem(issued.token(), "app", Set.of("items")));
        assertThat(narrowed.session().scopes(), is(SCOPES));
        assertThat(store.redeem(narrowed.token(), "app", SCOPES), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void tokenUnusedForTheIdleLifetimeExpires() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(10));
        String token = store.issue("alice", "app", SCOPES).token();

        clock.advance(Duration.ofMinutes(59));
        token = rotated(store.redeem(token, "app", Set.of())).token();
        // each refresh starts a new idle period
        clock.advance(Duration.ofMinutes(59));
        token = rotated(store.redeem(token, "app", Set.of())).token();
        clock.advance(Duration.ofMinutes(60));
        assertThat(store.find(token).isPresent(), is(false));
        assertEnded(store.redeem(token, "app", Set.of()));
        assertThat(store.familyCount(), is(0));
    }

    @Test
    void expiredTokenIsRefusedAsExpiredBeforeAnyPurge() {
        InMemoryRefreshTokenStore store = store(Duration.ofSeconds(30), Duration.ofHours(1));
        String token = store.issue("alice", "app", SCOPES).token();
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.redeem(token, "app", Set.of()), is(refused(Redemption.Reason.EXPIRED)));
        assertThat(store.familyCount(), is(0));
    }

    @Test
    void familyEndsAtItsAbsoluteExpiryHoweverOftenRefreshed() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(2), Duration.ofHours(3));
        IssuedRefreshToken issued = store.issue("alice", "app", SCOPES);
        assertThat(issued.session().absoluteExpiry(), is(clock.instant().plus(Duration.ofHours(3))));

        clock.advance(Duration.ofMinutes(110));
        String token = rotated(store.redeem(issued.token(), "app", Set.of())).token();
        // the new token's idle period would last until 3h50; the family ends at 3h
        clock.advance(Duration.ofMinutes(69));
        token = rotated(store.redeem(token, "app", Set.of())).token();
        clock.advance(Duration.ofMinutes(1));
        assertEnded(store.redeem(token, "app", Set.of()));
    }

    @Test
    void concurrentRedemptionsOfOneTokenRotateItExactlyOnce() throws Exception {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                String token = store.issue("alice", "app", SCOPES).token();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Redemption>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.redeem(token, "app", Set.of());
                    }));
                }
                start.countDown();
                int rotations = 0;
                for (Future<Redemption> result : results) {
                    if (result.get() instanceof Redemption.Rotated) {
                        rotations++;
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
        Duration absolute = Duration.ofHours(1);
        InMemoryRefreshTokenStore store = store(Duration.ofMinutes(10), absolute);
        int cycles = 20_000;
        int refreshesPerLogin = 3;
        int maxSize = 0;
        for (int i = 0; i < cycles; i++) {
            String token = store.issue("user-" + (i % 50), "app", SCOPES).token();
            for (int r = 0; r < refreshesPerLogin; r++) {
                token = rotated(store.redeem(token, "app", Set.of())).token();
            }
            clock.advance(Duration.ofSeconds(1));
            maxSize = Math.max(maxSize, store.size());
        }
        // families live one hour, and a purge runs at least once a minute: with one login a second, at most
        // 3600 + 60 families hold 4 hashes each, where 80 000 would pile up without purging
        long bound = (absolute.toSeconds() + 60) * (refreshesPerLogin + 1);
        assertThat(maxSize, lessThanOrEqualTo((int) bound));
        assertThat(store.familyCount(), lessThanOrEqualTo((int) absolute.toSeconds() + 60));
        assertThat(store.size() > 0, is(true));
    }

    @Test
    void purgeForgetsEndedAndRevokedFamilies() {
        InMemoryRefreshTokenStore store = store(Duration.ofMinutes(10), Duration.ofHours(1));
        String ended = store.issue("alice", "app", SCOPES).token();
        IssuedRefreshToken revokedFamily = store.issue("bob", "app", SCOPES);
        store.revokeFamily(revokedFamily.session().familyId());
        clock.advance(Duration.ofMinutes(5));
        String live = store.issue("carol", "app", SCOPES).token();
        clock.advance(Duration.ofMinutes(6));

        store.purgeExpired();
        assertThat(store.size(), is(1));
        assertThat(store.familyCount(), is(1));
        assertThat(store.find(live).isPresent(), is(true));
        assertThat(store.find(ended).isPresent(), is(false));
    }

    @Test
    void revokeUserEndsEveryFamilyOfThatUserOnly() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken laptop = store.issue("alice", "app", SCOPES);
        IssuedRefreshToken phone = store.issue("alice", "mobile", SCOPES);
        IssuedRefreshToken bob = store.issue("bob", "app", SCOPES);
        store.recordAccessToken(phone.session().familyId(), new AccessTokenId("phone-at",
                                                                              clock.instant().plusSeconds(60)));

        assertThat(store.revokeUser("alice"), is(2));
        assertThat(store.redeem(laptop.token(), "app", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(store.redeem(phone.token(), "mobile", Set.of()), is(refused(Redemption.Reason.UNKNOWN)));
        assertThat(revoked.isRevoked("phone-at"), is(true));
        assertThat(store.redeem(bob.token(), "app", Set.of()), instanceOf(Redemption.Rotated.class));
    }

    @Test
    void accessTokenRecordedAfterItsFamilyWasRevokedIsRevokedAtOnce() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = store.issue("alice", "app", SCOPES);
        store.revokeFamily(issued.session().familyId());

        store.recordAccessToken(issued.session().familyId(), new AccessTokenId("late", clock.instant().plusSeconds(60)));
        assertThat(revoked.isRevoked("late"), is(true));
    }

    @Test
    void findKnowsCurrentAndUsedTokensOfALiveFamily() {
        InMemoryRefreshTokenStore store = store(Duration.ofHours(1), Duration.ofHours(2));
        IssuedRefreshToken issued = store.issue("alice", "app", SCOPES);
        String next = rotated(store.redeem(issued.token(), "app", Set.of())).token();

        assertThat(store.find(issued.token()).orElseThrow(), is(issued.session()));
        assertThat(store.find(next).orElseThrow(), is(issued.session()));
        assertThat(store.find("garbage").isPresent(), is(false));
    }

    @Test
    void idleLifetimeLongerThanAbsoluteIsRefused() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> new RefreshTokenSettings(Duration.ofDays(40), Duration.ofDays(30)));
        assertThat(e.getMessage(), is("app.refresh-token.idle-ttl (PT960H) is longer than"
                                              + " app.refresh-token.absolute-ttl (PT720H)"));
    }

    private InMemoryRefreshTokenStore store(Duration idle, Duration absolute) {
        return new InMemoryRefreshTokenStore(new RefreshTokenSettings(idle, absolute), revoked, clock);
    }

    private static Redemption.Rotated rotated(Redemption redemption) {
        assertThat(redemption, instanceOf(Redemption.Rotated.class));
        return (Redemption.Rotated) redemption;
    }

    private static void assertEnded(Redemption redemption) {
        // expired, or already purged as expired: a purge may have run first, as time moved by more than a minute
        assertThat(redemption, anyOf(is(refused(Redemption.Reason.EXPIRED)), is(refused(Redemption.Reason.UNKNOWN))));
    }

    private static Redemption refused(Redemption.Reason reason) {
        return new Redemption.Refused(reason);
    }
}
