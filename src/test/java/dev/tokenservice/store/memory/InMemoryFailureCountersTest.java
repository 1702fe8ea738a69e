package dev.tokenservice.store.memory;

import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.FailureCountersContract;

class InMemoryFailureCountersTest extends FailureCountersContract {
    @Override
    protected Subject open() {
        InMemoryFailureCounters counters = new InMemoryFailureCounters(clock, RETENTION, 10_000);
        return new Subject() {
            @Override
            public FailureCounters counters() {
                return counters;
            }

            @Override
            public void purge() {
                counters.purgeExpired();
            }

            @Override
            public void close() {
            }
        };
    }
}
