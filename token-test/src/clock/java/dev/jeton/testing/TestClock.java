package dev.jeton.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that tests move by hand, so that expiry is tested by advancing time instead of sleeping. Hand it
 * to {@code TokenService.builder().clock(...)}. Thread-safe; time never moves by itself.
 *
 * <pre>{@code
 * TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));
 * clock.advance(Duration.ofMinutes(15));
 * }</pre>
 */
public final class TestClock extends Clock {

    private volatile Instant now;

    private TestClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at {@code start}. */
    public static TestClock at(Instant start) {
        return new TestClock(Objects.requireNonNull(start, "start"));
    }

    /** A clock standing at 2030-01-01T00:00:00Z, a fixed instant so that test runs are repeatable. */
    public static TestClock fixed() {
        return at(Instant.parse("2030-01-01T00:00:00Z"));
    }

    /**
     * Moves the clock forward.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public synchronized TestClock advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a test clock only moves forward; use set(...) to go back");
        }
        now = now.plus(amount);
        return this;
    }

    /** Sets the clock to {@code instant}, forward or back. */
    public TestClock set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Always UTC: Jeton works in instants. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("TestClock is UTC only");
    }

    @Override
    public String toString() {
        return "TestClock[" + now + "]";
    }
}
