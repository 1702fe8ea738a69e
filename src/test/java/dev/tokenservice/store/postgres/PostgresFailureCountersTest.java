package dev.tokenservice.store.postgres;

import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.FailureCountersContract;

import org.junit.jupiter.api.BeforeAll;

class PostgresFailureCountersTest extends FailureCountersContract {
    private static PostgresStoreFixture fixture;

    @BeforeAll
    static void database() {
        fixture = new PostgresStoreFixture();
    }

    @Override
    protected Subject open() {
        PostgresDatabase database = fixture.connectEmpty();
        PostgresFailureCounters counters = new PostgresFailureCounters(database, clock, RETENTION, 10_000);
        return new Subject() {
            @Override
            public FailureCounters counters() {
                return counters;
            }

            @Override
            public void purge() {
                counters.purgeExpired(100);
            }

            @Override
            public void close() {
                database.close();
            }
        };
    }
}
