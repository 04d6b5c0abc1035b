package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuickstartTest {

    @Test
    void everyQuickstartStepBehavesAsDocumented() {
        assertThat(Quickstart.run(new Quickstart.SteppableClock(Instant.parse("2026-11-21T12:00:00Z")))).isZero();
    }
}
