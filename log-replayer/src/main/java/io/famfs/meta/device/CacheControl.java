package io.famfs.meta.device;

import java.lang.foreign.MemorySegment;

/**
 * The two cache steps of the famfs protocol, named so that every writer and reader calls them at the same points
 * (DESIGN.md invariant 2). On coherent memory (one host, /dev/shm, a single CXL coherence domain) both are no-ops;
 * a non-coherent fabric plugs in CLWB/CLFLUSHOPT-style implementations here.
 */
public interface CacheControl {

    /** Writes back CPU caches over {@code [offset, offset + length)} of {@code mapping} (after a store). */
    void flush(MemorySegment mapping, long offset, long length);

    /** Drops stale cache lines over {@code [offset, offset + length)} of {@code mapping} (before a load). */
    void invalidate(MemorySegment mapping, long offset, long length);

    /** Coherent memory: nothing to do. */
    CacheControl COHERENT = new CacheControl() {
        @Override
        public void flush(MemorySegment mapping, long offset, long length) {}

        @Override
        public void invalidate(MemorySegment mapping, long offset, long length) {}

        @Override
        public String toString() {
            return "coherent";
        }
    };
}
