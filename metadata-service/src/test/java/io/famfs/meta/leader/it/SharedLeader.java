package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.testing.TestDevice;
import java.util.List;

/**
 * One real leader on a fresh 8 GiB device for a whole test class. Closing it stops the leader gracefully (SIGTERM,
 * exit 143), checks that what it left in the log is sound (the tests' own decoder), and deletes the device.
 */
final class SharedLeader implements AutoCloseable {
    final TestDevice dev;
    LeaderProcess leader;
    ApiSupport api;

    private SharedLeader(TestDevice dev, LeaderProcess leader) {
        this.dev = dev;
        this.leader = leader;
        this.api = new ApiSupport(leader);
    }

    static SharedLeader start() {
        TestDevice dev = TestDevice.formatted();
        try {
            return new SharedLeader(dev, LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership"));
        } catch (RuntimeException | AssertionError e) {
            dev.close();
            throw e;
        }
    }

    /** Stops the leader (SIGTERM, or kill -9) and starts it again on the same device and state folder. */
    void restart(boolean kill9) {
        api.close();
        if (kill9) {
            leader.kill9();
            assertFalse(leader.alive());
        } else {
            assertEquals(143, leader.stop(), leader::output);
            assertTrue(leader.output().contains("famfs-meta leader: stopped"), leader::output);
        }
        leader = LeaderProcess.start(dev.path(), dev.dir());
        api = new ApiSupport(leader);
    }

    @Override
    public void close() {
        try {
            api.close();
            assertEquals(143, leader.stop(), leader::output);
            assertEquals(List.of(), TestLog.of(dev.path()).problems());
        } finally {
            leader.close();
            dev.close();
        }
    }
}
