package io.famfs.meta.bench;

import io.famfs.meta.agent.view.ViewCache;
import io.famfs.meta.agent.view.ViewIdentity;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
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
 * An agent's warm start over the full 1 GiB log, in a fresh JVM like {@link ColdReplayBenchmark} (its cold start):
 * open the view cache (RocksDB, on disk under /tmp), load the namespace snapshot, and check the cached identity
 * against shared memory, as a restarted agent does before it resumes. The cache is written once, outside the
 * measurement, from a replay of the log; the loaded namespace is checked like the replay's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
        value = 5,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g"})
public class WarmStartBenchmark {
    static final Path CACHE = Path.of("/tmp/famfs-meta-bench/agent-view");

    private ReplayLog.Expected expected;
    private Device device;
    private FamfsVolume volume;
    private ViewIdentity identity;
    private Namespace loaded;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        expected = ReplayLog.ensure(ReplayBenchmark.DEVICE);
        device = Device.open(ReplayBenchmark.DEVICE, Device.Options.readOnly());
        volume = FamfsVolume.open(device);
        identity = identityOfTheWholeLog(volume);
        Path stamp = CACHE.resolve("famfs-meta-identity");
        String want = identity.toString();
        if (!Files.exists(stamp) || !Files.readString(stamp).equals(want)) {
            Namespace ns = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).namespace();
            try (ViewCache cache = ViewCache.open(CACHE)) {
                cache.save(identity, ns);
            }
            Files.writeString(stamp, want);
        }
    }

    @Benchmark
    public Namespace warmStart() {
        try (ViewCache cache = ViewCache.open(CACHE)) {
            ViewCache.Cached cached = cache.load();
            String mismatch = cached.identity().check(volume, volume.readNextIndex());
            if (mismatch != null) {
                throw new IllegalStateException("the cache does not match the log: " + mismatch);
            }
            loaded = cached.namespace();
            return loaded;
        }
    }

    @TearDown(Level.Trial)
    public void check() {
        expected.check(loaded, "the warm start");
        device.close();
    }

    /** The identity of a view that applied every entry of {@code volume}'s log. */
    static ViewIdentity identityOfTheWholeLog(FamfsVolume volume) {
        long n = volume.readNextIndex();
        byte[] last = new byte[LogEntryDescriptor.LENGTH];
        volume.copyEntry(n - 1, last);
        ByteBuffer b = ByteBuffer.wrap(last).order(ByteOrder.LITTLE_ENDIAN);
        return new ViewIdentity(
                volume.superblock().fsUuid(),
                volume.logLen(),
                volume.openedHeader().storedCrc(),
                n,
                b.getLong(LogEntryDescriptor.SEQNUM_OFFSET),
                b.getLong(LogEntryDescriptor.CRC_OFFSET));
    }
}
