package dev.tokenservice.sessions;

import org.junit.jupiter.api.BeforeAll;

class PostgresRefreshTokenStoreTest extends RefreshTokenStoreContract {
    private static PostgresStoreFixture fixture;

    @BeforeAll
    static void database() {
        fixture = new PostgresStoreFixture();
    }

    @Override
    Subject open(RefreshTokenSettings settings) {
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
    int raceRounds() {
        return 40;
    }

    @Override
    int boundednessCycles() {
        return 900;
    }
}
