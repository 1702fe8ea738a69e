package dev.tokenservice.store.memory;

import java.time.Duration;

import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RefreshTokenStoreContract;
import dev.tokenservice.store.RevokedTokens;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {
    @Override
    protected Subject open(RefreshTokenSettings settings) {
        InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, Duration.ofSeconds(5));
        InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore(settings, revoked, clock);
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
                store.purgeExpired();
            }

            @Override
            public int hashCount() {
                return store.size();
            }

            @Override
            public int familyCount() {
                return store.familyCount();
            }

            @Override
            public boolean holds(String hash) {
                return store.holds(hash);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    protected int raceRounds() {
        return 200;
    }

    @Override
    protected int boundednessCycles() {
        return 20_000;
    }

    @Test
    void idleLifetimeLongerThanAbsoluteIsRefused() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new RefreshTokenSettings(Duration.ofDays(40), Duration.ofDays(30)));
        assertThat(e.getMessage(), is("app.refresh-token.idle-ttl: 40 d is longer than"
                                              + " app.refresh-token.absolute-ttl (30 d)"));
    }
}
