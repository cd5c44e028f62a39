package dev.medic.supervise;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four limits on a clock the test moves: no process, no sleeping. */
class TimeLimitsTest {
    /** Wall clock and monotonic clock moved together, as real time does. */
    private static final class TestClock implements TimeLimits.Clock {
        long millis = 1_700_000_000_000L;
        long nanos = 5_000_000_000L;

        void advance(Duration d) {
            millis += d.toMillis();
            nanos += d.toNanos();
        }

        @Override
        public long nanos() {
            return nanos;
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    private static RunOptions options(Duration attempt, Duration total, Duration stall, Duration grace, Duration progress) {
        return new RunOptions(5, attempt, total, stall, grace, Duration.ZERO, Duration.ofSeconds(1), Path.of("/tmp"), false, 1024)
                .withProgressTimeout(progress);
    }

    @Test
    void theAttemptTimeoutCountsFromTheAttemptsStartAndATakenUpAttemptsEarlierTime() {
        TestClock clock = new TestClock();
        TimeLimits limits = new TimeLimits(options(Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO), clock);
        clock.advance(Duration.ofMinutes(30)); // earlier attempts
        limits.attemptStarted(0);
        clock.advance(Duration.ofMinutes(9));
        assertNull(limits.passed(clock.millis, -1, () -> ""));
        clock.advance(Duration.ofMinutes(1));
        TimeLimits.Passed p = limits.passed(clock.millis, -1, () -> "");
        assertEquals("ran past the attempt timeout (10m)", p.reason());
        assertTrue(p.timedOut());

        limits.attemptStarted(Duration.ofMinutes(10).toMillis() - 1);
        assertNull(limits.passed(clock.millis, -1, () -> ""), "taken up 1 ms short of its limit");
        clock.advance(Duration.ofMillis(1));
        assertTrue(limits.passed(clock.millis, -1, () -> "").timedOut());
    }

    @Test
    void silenceIsAStallOnlyAfterTheStartupGraceThenCountsFromTheLastOutput() {
        TestClock clock = new TestClock();
        TimeLimits limits = new TimeLimits(options(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ZERO), clock);
        limits.attemptStarted(0);
        clock.advance(Duration.ofMinutes(14));
        assertNull(limits.passed(0, -1, () -> ""), "grace 10m + stall 5m");
        assertEquals(TimeLimits.POLL_MS, limits.pollMillis(0, -1), "a minute to go: the usual wait");
        clock.advance(Duration.ofMinutes(1));
        TimeLimits.Passed stalled = limits.passed(0, -1, () -> "");
        assertEquals("no output for 5m", stalled.reason());
        assertFalse(stalled.timedOut());

        long lastLine = clock.millis;
        assertNull(limits.passed(lastLine, -1, () -> ""));
        clock.advance(Duration.ofMinutes(5).minusMillis(100));
        assertEquals(100, limits.pollMillis(lastLine, -1), "the wait ends when the stall is due");
        clock.advance(Duration.ofMillis(100));
        assertEquals("no output for 5m", limits.passed(lastLine, -1, () -> "").reason());
    }

    @Test
    void noProgressIsAStallOnceProgressWasSeenAndSaysWhereItStopped() {
        TestClock clock = new TestClock();
        TimeLimits limits = new TimeLimits(options(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2)), clock);
        limits.attemptStarted(0);
        clock.advance(Duration.ofHours(1));
        assertNull(limits.passed(clock.millis, -1, () -> "step 0"), "no progress seen yet: the limit cannot pass");
        assertEquals(TimeLimits.POLL_MS, limits.pollMillis(clock.millis, -1));
        long step = clock.millis;
        clock.advance(Duration.ofMinutes(2));
        TimeLimits.Passed p = limits.passed(clock.millis, step, () -> "step 120, loss 2.31");
        assertEquals("no progress for 2m (last: step 120, loss 2.31)", p.reason());
        assertFalse(p.timedOut());
    }

    @Test
    void theTotalTimeoutCountsFromTheRunsStartAndSaysWhatIsLeft() {
        TestClock clock = new TestClock();
        TimeLimits limits = new TimeLimits(options(Duration.ZERO, Duration.ofHours(1), Duration.ZERO, Duration.ZERO, Duration.ZERO), clock);
        clock.advance(Duration.ofMinutes(50));
        limits.attemptStarted(0);
        assertEquals(Duration.ofMinutes(10), limits.timeLeft());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Duration.ZERO, limits.timeLeft());
        TimeLimits.Passed p = limits.passed(clock.millis, -1, () -> "");
        assertEquals("ran past the total timeout (1h)", p.reason());
        assertTrue(p.timedOut());
        assertEquals(Duration.ofHours(1).toMillis(), limits.runMillis());
        assertNull(new TimeLimits(options(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO), clock).timeLeft());
    }
}
