package io.famfs.meta.agent.view;

import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The agent's view of the log: a namespace replayed from shared memory, the identity it belongs to, and a generation
 * that changes whenever the view is purged (a bridge drops what it cached for an older generation). The tailer is
 * the only writer; the bridge and the operator API read. A read-write lock keeps readers off a half-applied entry.
 *
 * <p>While a purged view is being replayed again ({@link State#REPLAYING}), a path it does not hold yet is answered
 * "stale" rather than "no such file": the file may well exist in the log, just not in the view yet.
 */
public final class AgentView {
    /** Where the view stands. */
    public enum State {
        /** No valid file system on the device (before the first open, or while it is re-made). */
        NO_FILESYSTEM,
        /** Replaying after a start or a purge: not caught up with the log yet. */
        REPLAYING,
        /** Caught up (as of the last poll). */
        CURRENT,
        /** Stopped at a bad entry: serving the valid prefix, re-checking the entry. */
        BAD_ENTRY
    }

    /** The answer to a path: the node, or why there is none. */
    public record Lookup(Node node, Miss miss) {
        public static Lookup of(Node node) {
            return new Lookup(node, null);
        }
    }

    /** Why a path has no node. */
    public enum Miss {
        /** Not a valid relative path. */
        INVALID,
        /** No such file or directory in a current view. */
        ABSENT,
        /** Not in the view, which is not caught up after a purge (or has no file system): the answer may change. */
        STALE
    }

    /** A consistent copy of the view's state for status reports. */
    public record Status(
            State state,
            ViewIdentity identity,
            long generation,
            long publishedIndex,
            long badIndex,
            String badDetail,
            long staleResets,
            String lastStaleReason,
            int nodes) {
        /** Entries applied to the view (0 without a file system). */
        public long applied() {
            return identity == null ? 0 : identity.applied();
        }

        /** Published entries not applied yet. */
        public long lag() {
            return Math.max(0, publishedIndex - applied());
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private FamfsVolume volume;
    private Namespace namespace;
    private ViewIdentity identity;
    private State state = State.NO_FILESYSTEM;
    private long generation;
    private long publishedIndex;
    private FormatException bad;
    private long staleResets;
    private String lastStaleReason;

    // ---- the tailer's side (only the tailer calls these) ----

    /** Starts a new, empty view of {@code volume} (the first open, or after a purge). */
    public void reset(FamfsVolume volume) {
        lock.writeLock().lock();
        try {
            this.volume = volume;
            this.namespace = Namespace.forVolume(volume);
            this.identity = ViewIdentity.empty(volume);
            this.state = State.REPLAYING;
            this.bad = null;
            this.generation++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Starts from a cached view of {@code volume} whose identity the caller has checked against shared memory: the
     * tailer goes on from {@code identity.applied()}.
     */
    public void restore(FamfsVolume volume, Namespace cached, ViewIdentity identity) {
        lock.writeLock().lock();
        try {
            this.volume = volume;
            this.namespace = cached;
            this.identity = identity;
            this.state = State.REPLAYING;
            this.bad = null;
            this.generation++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A snapshot of the namespace and its identity (taken under the read lock), or null without a file system. */
    public Snapshot snapshot() {
        lock.readLock().lock();
        try {
            if (namespace == null) {
                return null;
            }
            return new Snapshot(identity, generation, state, ViewCache.snapshotOf(namespace));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The bytes of a namespace snapshot, with the identity, generation and state the view had then. */
    public record Snapshot(ViewIdentity identity, long generation, State state, byte[] bytes) {}

    /**
     * Purges the view: nothing is served from it any more until a new file system is opened. A {@code reason} counts
     * a stale reset; null purges again for a reason already counted.
     */
    public void purge(String reason) {
        lock.writeLock().lock();
        try {
            this.volume = null;
            this.namespace = null;
            this.identity = null;
            this.state = State.NO_FILESYSTEM;
            this.bad = null;
            this.generation++;
            if (reason != null) {
                this.staleResets++;
                this.lastStaleReason = reason;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies validated entries {@code entries[0..count)}, the first at index {@code identity().applied()}. */
    public void apply(byte[][] entries, int count) {
        lock.writeLock().lock();
        try {
            for (int i = 0; i < count; i++) {
                namespace.apply(identity.applied(), entries[i]);
                identity = identity.after(entries[i]);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Records the outcome of a poll: the published count, and the bad entry the view stopped at (or null). */
    public void polled(long published, FormatException badEntry) {
        lock.writeLock().lock();
        try {
            this.publishedIndex = published;
            this.bad = badEntry;
            if (namespace == null) {
                return;
            }
            if (badEntry != null) {
                state = State.BAD_ENTRY;
            } else if (identity.applied() >= published || state == State.BAD_ENTRY) {
                state = State.CURRENT; // caught up, or healed and catching up as usual
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The identity the tailer checks against shared memory (null without a file system). */
    public ViewIdentity identity() {
        lock.readLock().lock();
        try {
            return identity;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- the readers' side ----

    /** Looks up {@code path} ("" is the root). */
    public Lookup lookup(String path) {
        if (!path.isEmpty() && RelPath.check(path) != null) {
            return new Lookup(null, Miss.INVALID);
        }
        lock.readLock().lock();
        try {
            if (namespace == null) {
                return new Lookup(null, Miss.STALE);
            }
            Node node = namespace.get(path);
            if (node != null) {
                return Lookup.of(node);
            }
            return new Lookup(null, state == State.REPLAYING ? Miss.STALE : Miss.ABSENT);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code reader} on the namespace under the read lock (null when there is no file system). */
    public <T> T read(Function<Namespace, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(namespace);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Status status() {
        lock.readLock().lock();
        try {
            return new Status(
                    state,
                    identity,
                    generation,
                    publishedIndex,
                    bad == null ? -1 : bad.index(),
                    bad == null ? null : bad.getMessage(),
                    staleResets,
                    lastStaleReason,
                    namespace == null ? 0 : namespace.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The volume the view was replayed from (null without a file system). */
    public FamfsVolume volume() {
        lock.readLock().lock();
        try {
            return volume;
        } finally {
            lock.readLock().unlock();
        }
    }
}
