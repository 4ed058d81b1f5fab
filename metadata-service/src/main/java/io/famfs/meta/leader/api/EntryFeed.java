package io.famfs.meta.leader.api;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.Protos;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;
import io.famfs.meta.proto.v1.CommittedEntry;
import io.vertx.core.Context;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Committed entries for one subscriber, read from the log itself (the source of truth), from an index on: what is
 * there now, in chunks, then each new commit (the writer's commit callback wakes it). Respects the subscriber's write
 * queue. Runs on the subscriber's context. Files and directories are sent; other entry types are passed over.
 */
final class EntryFeed<T> {
    private static final int CHUNK = 512;

    private final Leader leader;
    private final Context context;
    private final WriteStream<T> out;
    private final Function<CommittedEntry, T> map;
    private final boolean follow;
    private final Consumer<Throwable> onError;
    private final LogReader reader;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final LongConsumer onCommit;
    private long cursor;
    private boolean stopped;

    EntryFeed(
            Leader leader,
            Context context,
            long from,
            WriteStream<T> out,
            Function<CommittedEntry, T> map,
            boolean follow,
            Consumer<Throwable> onError) {
        this.leader = leader;
        this.context = context;
        this.cursor = from;
        this.out = out;
        this.map = map;
        this.follow = follow;
        this.onError = onError;
        this.reader = new LogReader(leader.volume());
        this.onCommit = next -> {
            if (wakeScheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    wakeScheduled.set(false);
                    pump();
                });
            }
        };
    }

    void start() {
        if (follow) {
            leader.onCommit(onCommit);
        }
        out.exceptionHandler(t -> stop());
        pump();
    }

    void stop() {
        stopped = true;
        leader.removeCommitListener(onCommit);
    }

    private void pump() {
        while (!stopped) {
            long published = leader.published();
            if (cursor >= published) {
                if (!follow) {
                    stop();
                    out.end();
                }
                return;
            }
            long to = Math.min(published, cursor + CHUNK);
            List<CommittedEntry> chunk = new ArrayList<>(CHUNK);
            ReadResult r = reader.read(cursor, to, ReadMode.STOP_AT_BAD, (index, entry) -> add(index, entry, chunk));
            chunk.forEach(e -> out.write(map.apply(e)));
            cursor = r.end();
            if (r.stopped()) {
                stop();
                onError.accept(
                        new FamfsException(ErrorCode.CORRUPT, r.stoppedBy().getMessage()));
                return;
            }
            if (out.writeQueueFull()) {
                out.drainHandler(v -> pump());
                return;
            }
        }
    }

    private static void add(long index, LogEntry entry, List<CommittedEntry> chunk) {
        switch (entry) {
            case FileEntry f ->
                chunk.add(CommittedEntry.newBuilder()
                        .setIndex(index)
                        .setFile(Protos.file(f.relpath(), f.size(), f.mode(), f.uid(), f.gid(), index, f.fmap()))
                        .build());
            case MkdirEntry m ->
                chunk.add(CommittedEntry.newBuilder()
                        .setIndex(index)
                        .setDir(Protos.dir(m.relpath(), m.mode(), m.uid(), m.gid(), index))
                        .build());
            default -> {
                // ADD_DAXDEV and unknown types carry no file or directory
            }
        }
    }
}
