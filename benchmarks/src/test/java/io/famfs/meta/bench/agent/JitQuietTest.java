package io.famfs.meta.bench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up's end on a clock and compilers the test moves. */
class JitQuietTest {
    static final long SECOND = 1_000_000_000L;

    long now = 1_000 * SECOND;
    /** Share of a core the compilers use from now on, in thousandths. */
    long share;

    long lastLook = now;
    int looks;

    long compilers() {
        looks++;
        long used = (now - lastLook) * share / 1000;
        lastLook = now;
        return used;
    }

    JitQuiet quiet(Duration min) {
        return new JitQuiet(this::compilers, () -> now, min, Duration.ofSeconds(1));
    }

    /** Moves the clock {@code ms} on and asks. */
    boolean after(JitQuiet q, long ms) {
        now += ms * 1_000_000;
        return q.getAsBoolean();
    }

    @Test
    void quietAfterTwoQuietWindows() {
        share = 10; // 1% of a core
        JitQuiet q = quiet(Duration.ZERO);
        assertFalse(after(q, 500), "no window has passed");
        assertFalse(after(q, 600), "one quiet window");
        assertFalse(after(q, 500));
        assertTrue(after(q, 500), "two");
        assertTrue(q.quiet());
    }

    @Test
    void busyCompilersKeepItWarmingUp() {
        share = 300;
        JitQuiet q = quiet(Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            assertFalse(after(q, 1000));
        }
        assertFalse(q.quiet());
        share = 49; // just under 5%
        assertFalse(after(q, 1000));
        assertTrue(after(q, 1000));
    }

    @Test
    void oneBusyWindowStartsTheCountOver() {
        JitQuiet q = quiet(Duration.ZERO);
        assertFalse(after(q, 1000));
        share = 500;
        assertFalse(after(q, 1000));
        share = 0;
        assertFalse(after(q, 1000), "one quiet window since the busy one");
        assertTrue(after(q, 1000));
    }

    @Test
    void notBeforeTheMinimum() {
        JitQuiet q = quiet(Duration.ofSeconds(5));
        for (int s = 1; s < 5; s++) {
            assertFalse(after(q, 1000), "quiet compilers, but only " + s + " s");
        }
        assertTrue(after(q, 1000));
    }

    @Test
    void looksAtTheCompilersOnceAWindow() {
        JitQuiet q = quiet(Duration.ZERO);
        int before = looks;
        for (int i = 0; i < 1000; i++) {
            after(q, 1);
        }
        assertEquals(before + 1, looks);
    }
}
