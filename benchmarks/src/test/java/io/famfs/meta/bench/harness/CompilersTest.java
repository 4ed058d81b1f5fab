package io.famfs.meta.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The compilers of real processes: this test's JVM, and one that has ended. */
class CompilersTest {
    static long sink;

    @Test
    void seesThisJvmCompileAndCountsEachLookFromTheLast() {
        Compilers c = new Compilers(ProcessHandle.current().pid());
        long sinceStart = c.sinceLastLook();
        assertTrue(sinceStart > 0, "a JVM that ran a test framework has compiled something");
        // a method of its own, hot enough for C1 and C2
        for (int i = 0; i < 200_000; i++) {
            sink += hot(i);
        }
        long after = c.sinceLastLook();
        assertTrue(after > 0, "compiling hot() took compiler CPU");
        assertTrue(after < sinceStart * 10, "counted from the last look, not from the start: " + after);
    }

    private static long hot(int i) {
        long h = i;
        for (int k = 0; k < 50; k++) {
            h = h * 31 + (k ^ i);
        }
        return h;
    }

    @Test
    void anEndedProcessCountsNothing() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Compilers c = new Compilers(p.pid());
        assertEquals(0, c.sinceLastLook());
        assertEquals(0, c.sinceLastLook());
    }
}
