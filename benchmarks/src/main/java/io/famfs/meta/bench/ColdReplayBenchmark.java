package io.famfs.meta.bench;

import io.famfs.meta.device.Device;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import java.io.IOException;
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
 * The first replay of the full 1 GiB log in a fresh JVM (no warm-up, an untouched 2 GiB heap): what a starting leader
 * or agent pays, interpreter and JIT compilation included. Checked like {@link ReplayBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
        value = 5,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g"})
public class ColdReplayBenchmark {
    private ReplayLog.Expected expected;
    private Device device;
    private FamfsVolume volume;
    private Namespace built;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        expected = ReplayLog.ensure(ReplayBenchmark.DEVICE);
        device = Device.open(ReplayBenchmark.DEVICE, Device.Options.readOnly());
        volume = FamfsVolume.open(device);
    }

    @Benchmark
    public Namespace firstReplay() {
        built = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).namespace();
        return built;
    }

    @TearDown(Level.Trial)
    public void check() {
        expected.check(built, "cold replay");
        device.close();
    }
}
