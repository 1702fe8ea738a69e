package dev.tokenservice.store.memory;

import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.store.RevokedTokensContract;

class InMemoryRevokedTokensTest extends RevokedTokensContract {
    @Override
    protected Subject open() {
        InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, LEEWAY);
        return new Subject() {
            @Override
            public RevokedTokens revoked() {
                return revoked;
            }

            @Override
            public void purge() {
                revoked.purgeExpired();
            }

            @Override
            public int size() {
                return revoked.size();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    protected int boundednessRevocations() {
        return 20_000;
    }
}
