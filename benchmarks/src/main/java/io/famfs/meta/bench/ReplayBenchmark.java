package io.famfs.meta.bench;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay of a full 1 GiB log into the namespace, against a plain copy of the same log bytes, both measured in the
 * same run, in steady state: warmed-up JIT, and a 2 GiB heap touched at start so that the OS's first-touch page faults
 * are not measured as replay (a long-running leader or agent has a warm heap; {@link ColdReplayBenchmark} measures
 * the first replay in a fresh JVM). Each replay is checked after it ran (counts and the checksum over every path,
 * attribute and extent must equal the generator's); the check is not timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
        value = 5,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ReplayBenchmark {
    static final Path DEVICE = Path.of("/dev/shm/famfs-meta-bench/replay-1g.img");

    private ReplayLog.Expected expected;
    private Device device;
    private FamfsVolume volume;
    private Arena arena;
    private MemorySegment copyTarget;
    private Namespace built;
    private ReadResult read;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        expected = ReplayLog.ensure(DEVICE);
        device = Device.open(DEVICE, Device.Options.readOnly());
        volume = FamfsVolume.open(device);
        arena = Arena.ofShared();
        copyTarget = arena.allocate(ReplayLog.LOG_LEN, 4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        arena.close();
    }

    @Benchmark
    public Namespace replay() {
        Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
        built = replay.namespace();
        read = replay.result();
        return built;
    }

    @Benchmark
    public long copy() {
        MemorySegment.copy(device.segment(), Famfs.LOG_OFFSET, copyTarget, 0, ReplayLog.LOG_LEN);
        return copyTarget.get(ValueLayout.JAVA_LONG, ReplayLog.LOG_LEN - 8);
    }

    /** Every replay must have built exactly what the generator wrote. */
    @TearDown(Level.Invocation)
    public void check() {
        if (built == null) {
            return; // the copy benchmark
        }
        if (read.stopped()) {
            throw new IllegalStateException("replay stopped at " + read);
        }
        expected.check(built, "replay");
        built = null;
        read = null;
    }
}
