package io.famfs.meta.replay;

import io.famfs.meta.format.FormatException;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.RawEntryVisitor;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;

/**
 * Replays a volume's log into a {@link Namespace}, incrementally: each call resumes at the namespace's next index. In
 * {@link ReadMode#STOP_AT_BAD} a bad entry stops the pass and stays the resume point, so the next call re-checks it
 * (a famfs writer publishes without ordering, so a bad tail can heal).
 */
public final class Replayer {
    private final FamfsVolume volume;
    private final Namespace namespace;
    private final LogReader reader;

    public Replayer(FamfsVolume volume, Namespace namespace) {
        this.volume = volume;
        this.namespace = namespace;
        this.reader = new LogReader(volume);
    }

    /** Replays everything from the namespace's next index to the current next_index. */
    public ReadResult replay(ReadMode mode) {
        ReadResult result = reader.readRaw(namespace.nextIndex(), volume.readNextIndex(), mode, new RawEntryVisitor() {
            @Override
            public void entry(long index, byte[] entry) {
                namespace.apply(index, entry);
            }

            @Override
            public void skipped(FormatException error) {
                namespace.skipBad(error);
            }
        });
        namespace.advanceTo(result.end());
        return result;
    }

    public Namespace namespace() {
        return namespace;
    }

    /** Opens a namespace for {@code volume} and replays the whole log into it. */
    public static Replay replayAll(FamfsVolume volume, ReadMode mode) {
        Namespace ns = Namespace.forVolume(volume);
        ReadResult result = new Replayer(volume, ns).replay(mode);
        return new Replay(ns, result);
    }

    /** A namespace and the pass that built it. */
    public record Replay(Namespace namespace, ReadResult result) {}
}
