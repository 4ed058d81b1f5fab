package io.famfs.meta.golden;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Rebuilds each golden image from case.json alone (mkfs with the case's UUIDs, then every mkdir and file appended in
 * log order) and compares the superblock and log regions byte for byte with the image famfs wrote.
 */
class ByteExactWriterTest {
    private static final int MiB = 1 << 20;
    private static final int LOG_OFFSET = 2 * MiB;
    private static final int HEADER = 48;
    private static final int ENTRY = 544;

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void rebuiltImageIsByteIdentical(String name) {
        GoldenCase c = Golden.load(name);
        JsonNode sb = c.json().get("superblock_decoded");
        long logLen = sb.get("log_len").asLong();
        long deviceSize = sb.get("daxdev_size").asLong();
        assertEquals(c.deviceSize(), deviceSize, "device_size vs dd_size in case.json");

        byte[] ours;
        try (TestDevice d = TestDevice.create(deviceSize);
                Device dev = d.open(true)) {
            Golden.mkfsAsRecorded(dev, sb);
            LogAppender appender = new LogAppender(FamfsVolume.open(dev));
            for (JsonNode e : Golden.entriesInLogOrder(c)) {
                long index = e.get("log_index").asLong();
                String rel = e.get("relpath").asText();
                long got;
                if (Golden.isFile(e)) {
                    assertEquals(2, e.get("flags").asInt(), name + " " + rel + ": famfs always logs flags 2");
                    FileEntry f = FileEntry.create(
                            rel,
                            e.get("size").asLong(),
                            e.get("mode_int").asInt(),
                            e.get("uid").asInt(),
                            e.get("gid").asInt(),
                            Golden.expectedFmap(e));
                    assertEquals(2, f.flags());
                    got = appender.append(f);
                } else {
                    got = appender.append(MkdirEntry.create(
                            rel,
                            Golden.octal(e.get("logged_mode").asText()),
                            e.get("logged_uid").asInt(),
                            e.get("logged_gid").asInt()));
                }
                assertEquals(index, got, name + " " + rel + ": appended at");
            }
            ours = dev.segment().asSlice(0, LOG_OFFSET + logLen).toArray(ValueLayout.JAVA_BYTE);
        }

        byte[] famfs = c.imageBytes();
        assertEquals(LOG_OFFSET + logLen, famfs.length, name + ": image length");
        int at = Arrays.mismatch(famfs, ours);
        if (at >= 0) {
            fail(String.format(
                    "%s: first differing byte at offset %d (0x%x), in %s: famfs 0x%02x, ours 0x%02x",
                    name, at, at, where(famfs, at, logLen), famfs[at] & 0xff, ours[at] & 0xff));
        }
        // Our own reading of the header we wrote: next_seqnum and next_index at 32 and 40 equal the entry count.
        ByteBuffer header = ByteBuffer.wrap(ours, LOG_OFFSET, HEADER).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(c.json().get("num_entries").asLong(), header.getLong(LOG_OFFSET + 32), "next_seqnum");
        assertEquals(c.json().get("num_entries").asLong(), header.getLong(LOG_OFFSET + 40), "next_index");
    }

    /** The failure report names the structure of the first difference (checked on famfs's a1 image). */
    @Test
    void differenceReportNamesTheStructure() {
        GoldenCase c = Golden.load("a1-basic");
        byte[] famfs = c.imageBytes();
        long logLen = c.logLen();
        int entry2 = LOG_OFFSET + HEADER + 2 * ENTRY; // "striped": FILE, interleaved
        int entry0 = LOG_OFFSET + HEADER; // "dir1": MKDIR
        record Case(int offset, String expected) {}
        for (Case k : List.of(
                new Case(97, "superblock field ts_crc (+1, structure offset 97)"),
                new Case(140, "superblock field dd_daxdev (+4, structure offset 140)"),
                new Case(4096, "superblock region after the 200-byte superblock (+4096)"),
                new Case(LOG_OFFSET + 41, "log header field next_index (+1, structure offset 41)"),
                new Case(
                        entry0 + 30, "log entry 0 (MKDIR in famfs's image) field md_relpath (+2, structure offset 30)"),
                new Case(
                        entry2 + 145,
                        "log entry 2 (FILE in famfs's image) field se[0].offset (ie view: ie_chunk_size)"
                                + " (+1, structure offset 145)"),
                new Case(
                        entry2 + 160 + 24,
                        "log entry 2 (FILE in famfs's image) field se[2].devindex"
                                + " (ie view: ie_strips[1].offset) (+0, structure offset 184)"),
                new Case(entry2 + 540, "log entry 2 (FILE in famfs's image) field crc (+4, structure offset 540)"),
                new Case(
                        (int) (LOG_OFFSET + logLen - 1),
                        "log tail after the last slot (+" + ((logLen - HEADER) % ENTRY - 1) + ")"))) {
            byte[] ours = famfs.clone();
            ours[k.offset()] ^= 0x5a;
            int at = Arrays.mismatch(famfs, ours);
            assertEquals(k.offset(), at);
            assertEquals(k.expected(), where(famfs, at, logLen), "offset " + k.offset());
        }
    }

    /** Names the structure and field holding byte {@code at} of an image (famfs-format.md 1.2 - 1.4). */
    static String where(byte[] image, int at, long logLen) {
        if (at < 200) {
            return "superblock field " + field(at, SB_FIELDS);
        }
        if (at < LOG_OFFSET) {
            return "superblock region after the 200-byte superblock (+" + at + ")";
        }
        int log = at - LOG_OFFSET;
        if (log < HEADER) {
            return "log header field " + field(log, HEADER_FIELDS);
        }
        long capacity = (logLen - HEADER) / ENTRY;
        long index = (log - HEADER) / ENTRY;
        if (index >= capacity) {
            return "log tail after the last slot (+" + (log - HEADER - capacity * ENTRY) + ")";
        }
        int inEntry = (log - HEADER) % ENTRY;
        int entryStart = LOG_OFFSET + HEADER + (int) index * ENTRY;
        int type = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(entryStart + 8);
        String kind = switch (type) {
            case 0 -> "FILE";
            case 1 -> "MKDIR";
            default -> "type " + type;
        };
        Object[] fields = switch (type) {
            case 0 -> FILE_FIELDS;
            case 1 -> MKDIR_FIELDS;
            default -> ENTRY_FIELDS;
        };
        return "log entry " + index + " (" + kind + " in famfs's image) field " + field(inEntry, fields);
    }

    private static String field(int offset, Object[] table) {
        String name = "?";
        int start = 0;
        for (int i = 0; i < table.length; i += 2) {
            int o = (Integer) table[i];
            if (o <= offset) {
                name = (String) table[i + 1];
                start = o;
            }
        }
        return name + " (+" + (offset - start) + ", structure offset " + offset + ")";
    }

    private static final Object[] SB_FIELDS = {
        0,
        "ts_magic",
        8,
        "ts_version",
        16,
        "ts_log_offset",
        24,
        "ts_log_len",
        32,
        "ts_alloc_unit",
        40,
        "ts_omf_ver_major",
        44,
        "ts_omf_ver_minor",
        48,
        "ts_uuid",
        64,
        "ts_dev_uuid",
        80,
        "ts_system_uuid",
        96,
        "ts_crc",
        104,
        "ts_sb_flags",
        108,
        "padding",
        112,
        "dd_size",
        120,
        "dd_uuid",
        136,
        "dd_daxdev"
    };
    private static final Object[] HEADER_FIELDS = {
        0, "magic", 8, "log_len", 16, "last_index", 24, "crc", 32, "next_seqnum", 40, "next_index"
    };
    private static final Object[] ENTRY_FIELDS = {0, "seqnum", 8, "type", 12, "padding", 16, "payload", 536, "crc"};
    private static final Object[] MKDIR_FIELDS = {
        0,
        "seqnum",
        8,
        "type",
        12,
        "padding",
        16,
        "md_uid",
        20,
        "md_gid",
        24,
        "md_mode",
        28,
        "md_relpath",
        108,
        "unused payload",
        536,
        "crc"
    };
    private static final Object[] FILE_FIELDS = fileFields();

    private static Object[] fileFields() {
        List<Object> t = new ArrayList<>(List.of(
                0,
                "seqnum",
                8,
                "type",
                12,
                "padding",
                16,
                "fm_size",
                24,
                "fm_flags",
                28,
                "fm_uid",
                32,
                "fm_gid",
                36,
                "fm_mode",
                40,
                "fm_relpath",
                120,
                "fmap_ext_type",
                124,
                "fmap padding",
                128,
                "fmap_nextents/niext",
                132,
                "fmap padding"));
        // se[16] at fmap+16 (entry 136); the interleaved view overlays nstrips/chunk at 136/144, strips from 152.
        for (int j = 0; j < 16; j++) {
            int base = 136 + 24 * j;
            t.addAll(List.of(
                    base,
                    "se[" + j + "].devindex (ie view: " + ieName(base) + ")",
                    base + 8,
                    "se[" + j + "].offset (ie view: " + ieName(base + 8) + ")",
                    base + 16,
                    "se[" + j + "].len (ie view: " + ieName(base + 16) + ")"));
        }
        t.addAll(List.of(520, "ie_strips[15] tail / past se[]", 536, "crc"));
        return t.toArray();
    }

    private static String ieName(int entryOffset) {
        if (entryOffset == 136) {
            return "ie_nstrips";
        }
        if (entryOffset == 144) {
            return "ie_chunk_size";
        }
        int strip = (entryOffset - 152) / 24;
        String[] part = {"devindex", "offset", "len"};
        return "ie_strips[" + strip + "]." + part[((entryOffset - 152) % 24) / 8];
    }
}
