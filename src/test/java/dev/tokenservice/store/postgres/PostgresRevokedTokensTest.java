package dev.tokenservice.store.postgres;

import java.time.Duration;

import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.store.RevokedTokensContract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.tokenservice.Eventually.eventually;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The contract, plus what the database adds: the mirror of a second instance learns revocations by
 * {@code LISTEN}/{@code NOTIFY}, and a new instance loads them all at start.
 */
class PostgresRevokedTokensTest extends RevokedTokensContract {
    private static PostgresStoreFixture fixture;
    private PostgresDatabase database;

    @BeforeAll
    static void database() {
        fixture = new PostgresStoreFixture();
    }

    @Override
    protected Subject open() {
        database = fixture.connectEmpty();
        PostgresRevokedTokens revoked = start(database);
        return new Subject() {
            @Override
            public RevokedTokens revoked() {
                return revoked;
            }

            @Override
            public void purge() {
                revoked.purgeExpired(100);
            }

            @Override
            public int size() {
                int rows = PostgresStoreFixture.count(database, "SELECT count(*) FROM revoked_access_token");
                // the mirror and the table agree
                assertThat(revoked.size(), is(rows));
                return rows;
            }

            @Override
            public void close() {
                revoked.close();
                database.close();
            }
        };
    }

    @Override
    protected int boundednessRevocations() {
        return 1_000;
    }

    @Test
    void anotherInstanceLearnsARevocationWithinASecondAndANewOneLoadsIt() throws Exception {
        try (PostgresRevokedTokens other = start(database)) {
            subject.revoked().revoke("heard", clock.instant().plusSeconds(600));
            eventually(Duration.ofSeconds(1), () -> other.isRevoked("heard"), is(true));
        }
        try (PostgresRevokedTokens restarted = start(database)) {
            assertThat(restarted.isRevoked("heard"), is(true));
            assertThat(restarted.current(), is(true));
        }
    }

    private PostgresRevokedTokens start(PostgresDatabase database) {
        return fixture.revokedTokens(database, clock);
    }
}
