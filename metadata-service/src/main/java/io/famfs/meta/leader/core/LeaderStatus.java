package io.famfs.meta.leader.core;

import java.util.List;

/**
 * Whether the leader takes creates, and why not.
 *
 * @param badEntries log indexes still bad after their re-read (creates wait for them unless told to skip them)
 */
public record LeaderStatus(State state, String reason, List<Long> badEntries, long nextIndex, long capacity) {
    public enum State {
        /** Taking creates. */
        READY,
        /** A bad entry below next_index: creates refused until it heals (re-checked) or the leader is told to skip it. */
        BAD_ENTRY,
        /** Someone else moved the log header: appends stopped until a restart. */
        OTHER_WRITER,
        /** An append failed half-way: appends stopped until a restart (which replays and repairs). */
        FAILED,
        /** Shutting down. */
        CLOSING
    }

    public boolean ready() {
        return state == State.READY;
    }
}
