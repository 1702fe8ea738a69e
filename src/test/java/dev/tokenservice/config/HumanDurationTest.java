package dev.tokenservice.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class HumanDurationTest {
    @Test
    void durationsReadAsAPersonWritesThem() {
        assertThat(HumanDuration.of(Duration.parse("PT30M5S")), is("30 min 5 s"));
        assertThat(HumanDuration.of(Duration.ofDays(7)), is("7 d"));
        assertThat(HumanDuration.of(Duration.parse("P1DT2H0M3S")), is("1 d 2 h 3 s"));
        assertThat(HumanDuration.of(Duration.ZERO), is("0 s"));
        assertThat(HumanDuration.of(Duration.ofMillis(250)), is("250 ms"));
        assertThat(HumanDuration.of(Duration.ofSeconds(-90)), is("-1 min 30 s"));
    }
}
