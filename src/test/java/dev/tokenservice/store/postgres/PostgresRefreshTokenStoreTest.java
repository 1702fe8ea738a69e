package dev.tokenservice.store.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RefreshTokenStoreContract;
import dev.tokenservice.store.RevokedTokens;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class PostgresRefreshTokenStoreTest extends RefreshTokenStoreContract {
    private static PostgresStoreFixture fixture;

    @BeforeAll
    static void database() {
        fixture = new PostgresStoreFixture();
    }

    @Override
    protected Subject open(RefreshTokenSettings settings) {
        PostgresDatabase database = fixture.connectEmpty();
        PostgresRevokedTokens revoked = fixture.revokedTokens(database, clock);
        PostgresRefreshTokenStore store = new PostgresRefreshTokenStore(database, settings, revoked, clock);
        return new Subject() {
            @Override
            public RefreshTokenStore store() {
                return store;
            }

            @Override
            public RevokedTokens revoked() {
                return revoked;
            }

            @Override
            public void purge() {
                store.purgeExpired(100);
            }

            @Override
            public int hashCount() {
                return PostgresStoreFixture.count(database, "SELECT count(*) FROM refresh_token");
            }

            @Override
            public int familyCount() {
                return PostgresStoreFixture.count(database, "SELECT count(*) FROM refresh_session");
            }

            @Override
            public boolean holds(String hash) {
                return PostgresStoreFixture.count(database, "SELECT count(*) FROM refresh_token WHERE token_hash = ?",
                                                  hash) == 1;
            }

            @Override
            public void close() {
                revoked.close();
                database.close();
            }
        };
    }

    @Override
    protected int raceRounds() {
        return 40;
    }

    @Override
    protected int boundednessCycles() {
        return 900;
    }

    @Test
    void anAccessTokenRevokedPastTheCapReachesTheOtherInstancesWithinASecond() {
        try (PostgresDatabase database = fixture.connectEmpty();
             PostgresRevokedTokens revoked = fixture.revokedTokens(database, clock);
             PostgresRevokedTokens other = fixture.revokedTokens(database, clock)) {
            RefreshTokenStore store = new PostgresRefreshTokenStore(
                    database, new RefreshTokenSettings(Duration.ofHours(1), Duration.ofHours(2), 50, 20, 2), revoked,
                    clock);
            String token = store.issue("alice", "app", SCOPES, accessToken("at-0")).token();
            Instant expiry = accessToken("at-0").expiresAt();
            for (int i = 1; i <= 3; i++) {
                clock.advance(Duration.ofSeconds(1));
                token = rotated(store.redeem(token, "app", Set.of(), accessToken("at-" + i))).token();
            }
            // the running mirror of another instance hears of them, once numbered, within a second
            eventually(Duration.ofSeconds(1), () -> {
                assertThat(other.isRevoked("at-0"), is(true));
                assertThat(other.isRevoked("at-1"), is(true));
            });
            assertThat(other.isRevoked("at-2") || other.isRevoked("at-3"), is(false));
            // numbered, kept until exp plus the leeway
            assertThat(PostgresStoreFixture.count(database, "SELECT count(*) FROM revoked_access_token"
                    + " WHERE jti IN ('at-0', 'at-1') AND seq > 0"), is(2));
            assertThat(PostgresStoreFixture.count(database, "SELECT count(*) FROM revoked_access_token"
                    + " WHERE jti = 'at-0' AND forget_at = ?", Transactions.at(expiry.plusSeconds(5))), is(1));
            // and an instance started later reads them
            try (PostgresRevokedTokens later = fixture.revokedTokens(database, clock)) {
                assertThat(later.isRevoked("at-0") && later.isRevoked("at-1"), is(true));
            }
        }
    }

    @Test
    void revocationsLeftUnnumberedAreNumberedByAnyInstance() {
        try (PostgresDatabase database = fixture.connectEmpty();
             PostgresRevokedTokens other = fixture.revokedTokens(database, clock)) {
            // as if an instance stopped between a refresh's commit and numbering its revocation
            PostgresStoreFixture.update(database, "INSERT INTO revoked_access_token (jti, forget_at, seq)"
                    + " VALUES ('orphan', now() + interval '1 hour', NULL)");
            eventually(Duration.ofSeconds(2), () -> other.isRevoked("orphan"), is(true));
        }
    }
}
