package io.famfs.meta.corruption;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A golden image on a sparse device mapped read-write once, with the layout values decoded by the test itself, the
 * pristine bytes (to restore and to check that every test restored them), and the canonical namespace of every log
 * prefix [0, k) of the undamaged image.
 */
final class GoldenImage implements AutoCloseable {
    final GoldenCase golden;
    final TestDevice testDevice;
    final Device device;
    final MemorySegment seg;
    final byte[] pristine;
    /** The mapping (= device_size). */
    final long mapping;

    final long logLen;
    final long lastIndex;
    /** next_index of the undamaged image. */
    final long n;

    final long ddSize;
    final long version;

    /** {@code prefix.get(k)}: canonical namespace after entries [0, k); k in [0, n]. Empty when not computed. */
    final List<String> prefix;
    /** The same without file flags. */
    final List<String> prefixNoFlags;

    private GoldenImage(GoldenCase golden, TestDevice testDevice, Device device, boolean prefixes) {
        this.golden = golden;
        this.testDevice = testDevice;
        this.device = device;
        this.seg = device.segment();
        this.pristine = golden.imageBytes();
        this.mapping = seg.byteSize();
        this.logLen = Raw.u64(pristine, Raw.SB_LOG_LEN);
        this.lastIndex = Raw.u64(pristine, Raw.LOG + Raw.H_LAST_INDEX);
        this.n = Raw.u64(pristine, Raw.LOG + Raw.H_NEXT_INDEX);
        this.ddSize = Raw.u64(pristine, Raw.SB_DD_SIZE);
        this.version = Raw.u64(pristine, Raw.SB_VERSION);
        JsonNode json = golden.json();
        assertEquals(json.get("device_size").asLong(), mapping, "mapping");
        assertEquals(json.get("log_len").asLong(), logLen, "log_len");
        assertEquals(Raw.LOG + logLen, pristine.length, "image length");
        assertEquals(json.get("num_entries").asLong(), n, "next_index");
        assertEquals(json.get("log_capacity_entries").asLong(), lastIndex + 1, "last_index");
        assertEquals(mapping, ddSize, "dd_size");
        assertEquals(48, version, "version");
        this.prefix = new ArrayList<>();
        this.prefixNoFlags = new ArrayList<>();
        if (prefixes) {
            computePrefixes();
        }
    }

    static GoldenImage load(String name, boolean prefixes) {
        GoldenCase golden = GoldenCase.load(name);
        TestDevice td = golden.device();
        try {
            Device dev = td.open(true);
            try {
                return new GoldenImage(golden, td, dev, prefixes);
            } catch (RuntimeException | Error e) {
                dev.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            td.close();
            throw e;
        }
    }

    /** Replays the undamaged image entry by entry, recording the canonical namespace after each prefix. */
    private void computePrefixes() {
        FamfsVolume volume = FamfsVolume.open(device);
        Namespace ns = Namespace.forVolume(volume);
        prefix.add(Canon.of(ns));
        prefixNoFlags.add(Canon.withoutFlags(ns));
        ReadResult r = new LogReader(volume).read(0, n, ReadMode.STOP_AT_BAD, (index, entry) -> {
            ns.apply(index, entry);
            prefix.add(Canon.of(ns));
            prefixNoFlags.add(Canon.withoutFlags(ns));
        });
        assertFalse(r.stopped(), () -> golden.name() + ": undamaged image stops: " + r.stoppedBy());
        assertEquals(n + 1, prefix.size());
        // The baseline every oracle leans on must be the famfs replay of case.json.
        assertEquals(expectedPaths(), Canon.paths(ns), golden.name() + ": baseline paths vs case.json");
    }

    /** "D path" / "F path" of every directory and file in case.json. */
    Set<String> expectedPaths() {
        Set<String> paths = new TreeSet<>();
        for (JsonNode d : golden.json().get("directories")) {
            paths.add("D " + d.get("relpath").asText());
        }
        for (JsonNode f : golden.json().get("files")) {
            paths.add("F " + f.get("relpath").asText());
        }
        return paths;
    }

    String full() {
        return prefix.get((int) n);
    }

    byte get(long offset) {
        return seg.get(ValueLayout.JAVA_BYTE, offset);
    }

    void set(long offset, byte value) {
        seg.set(ValueLayout.JAVA_BYTE, offset, value);
    }

    /** Runs {@code body} with the byte at {@code offset} XORed with {@code mask}, then restores it. */
    <T> T withXor(long offset, int mask, Supplier<T> body) {
        byte old = get(offset);
        set(offset, (byte) (old ^ mask));
        try {
            return body.get();
        } finally {
            set(offset, old);
        }
    }

    /** Runs {@code body} with the u64 at {@code offset} replaced, then restores the 8 bytes. */
    <T> T withU64(long offset, long value, Supplier<T> body) {
        long old = Raw.u64(seg, offset);
        Raw.putU64(seg, offset, value);
        try {
            return body.get();
        } finally {
            Raw.putU64(seg, offset, old);
        }
    }

    /** Fails unless the metadata bytes are back to the golden image. */
    void assertPristine() {
        long at = MemorySegment.mismatch(seg, 0, pristine.length, MemorySegment.ofArray(pristine), 0, pristine.length);
        assertEquals(-1, at, () -> golden.name() + ": image not restored; first difference at " + at);
    }

    /** Undoes everything: copies the golden bytes back. */
    void restore() {
        MemorySegment.copy(pristine, 0, seg, ValueLayout.JAVA_BYTE, 0, pristine.length);
    }

    @Override
    public void close() {
        try {
            device.close();
        } finally {
            testDevice.close();
        }
    }
}
