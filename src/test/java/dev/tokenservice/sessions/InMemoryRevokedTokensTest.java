package dev.tokenservice.sessions;

class InMemoryRevokedTokensTest extends RevokedTokensContract {
    @Override
    Subject open() {
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
    int boundednessRevocations() {
        return 20_000;
    }
}
