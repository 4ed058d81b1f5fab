package io.famfs.meta.golden;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.fsck.Fsck;
import io.famfs.meta.fsck.FsckPrinter;
import io.famfs.meta.fsck.FsckReport;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Our fsck of each golden image gives famfs's numbers and prints famfs's lines; so does our fresh mkfs. */
class GoldenFsckTest {
    private static final UUID HOST = UUID.fromString(Golden.GOLDEN_HOST);

    private static FsckReport fsck(GoldenCase c) {
        try (TestDevice d = c.device();
                Device dev = d.open(false)) {
            return Fsck.check(FamfsVolume.open(dev), HOST);
        }
    }

    private static List<String> print(FsckReport r, boolean human) {
        StringWriter out = new StringWriter();
        try (PrintWriter pw = new PrintWriter(out)) {
            FsckPrinter.print(r, "/dev/shm/golden.img", human, pw);
        }
        return out.toString().lines().toList();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void figuresEqualFamfsFsck(String name) {
        GoldenCase c = Golden.load(name);
        JsonNode f = c.json().get("fsck");
        FsckReport r = fsck(c);

        assertTrue(r.owner(), name + ": role Owner on the golden host");
        assertEquals(1, c.json().get("library_checks").get("role").asInt(), "famfs's role: 1 = Owner");
        assertEquals(f.get("entries_used").asLong(), r.entriesUsed(), "entries used");
        assertEquals(f.get("entries_in_use").asLong(), r.entriesUsed(), "entries in use");
        assertEquals(f.get("entries_capacity").asLong(), r.capacity(), "entries capacity");
        assertEquals(f.get("log_size_in_use").asLong(), r.logSizeInUse(), "log size in use");
        assertEquals(c.logLen(), r.logLen(), "log len");
        assertEquals(f.get("device_capacity").asLong(), r.superblock().devSize(), "device capacity");
        assertEquals(f.get("bitmap_capacity").asLong(), r.bitmapCapacity(), "bitmap capacity");
        assertEquals(f.get("sum_of_file_sizes").asLong(), r.sumFileSizes(), "sum of file sizes");
        assertEquals(f.get("allocated_bytes").asLong(), r.allocatedBytes(), "allocated bytes");
        assertEquals(f.get("free_space").asLong(), r.freeBytes(), "free space");
        assertEquals(f.get("space_amplification").asText(), r.spaceAmplificationText(), "space amplification");
        assertEquals(f.get("percent_used").asText(), r.percentUsedText(), "percent used");
        assertEquals(f.get("bad_log_entries").asLong(), r.badEntryCount(), "bad log entries");
        assertEquals(f.get("files").asLong(), r.files(), "files");
        assertEquals(f.get("directories").asLong(), r.directories(), "directories");
        assertEquals(f.get("allocation_collisions").asLong(), r.collisions(), "allocation collisions");
        assertEquals(f.get("return_code").asLong(), r.collisions(), "famfs's return code = collisions");
        assertEquals(f.get("return_code").asLong() == 0, r.clean(), "return code 0 <-> clean");
        assertEquals(List.of(), r.collidingEntries(), "colliding entries");
        assertEquals(List.of(), r.skipped(), "entries not replayed");
        assertEquals(List.of(), r.flagged(), "flagged files");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void printsFamfsFsckLines(String name) {
        GoldenCase c = Golden.load(name);
        FsckReport r = fsck(c);
        List<String> plain = Golden.fsckSection(print(r, false), name + " our fsck");
        List<String> human = Golden.fsckSection(print(r, true), name + " our fsck -h");
        assertNotEquals(plain, human, "human units must change the capacity lines");

        for (String file : List.of("fsck.txt", "fsck_verbose.txt", "fsck_buckets8.txt")) {
            List<String> famfs = Golden.fsckSection(Golden.readLines(c.famfsOutput(file)), name + " " + file);
            Golden.assertSameLines(famfs, plain, name + " " + file);
        }
        List<String> famfsHuman =
                Golden.fsckSection(Golden.readLines(c.famfsOutput("fsck_human.txt")), name + " fsck_human.txt");
        Golden.assertSameLines(famfsHuman, human, name + " fsck_human.txt");
    }

    /** famfs's mkfs printed a human fsck of the empty file system; ours must print the same for the same mkfs. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void freshMkfsPrintsFamfsMkfsLines(String name) {
        GoldenCase c = Golden.load(name);
        JsonNode sb = c.json().get("superblock_decoded");
        List<String> famfsLines = Golden.readLines(c.famfsOutput("mkfs.txt"));
        List<String> famfs = Golden.fsckSection(famfsLines, name + " mkfs.txt");
        // mkfs.txt is that section and nothing more: it starts with the superblock and only blank lines follow.
        assertEquals("Famfs Superblock:", famfsLines.getFirst(), name + ": mkfs.txt first line");
        assertTrue(
                famfsLines.subList(famfs.size(), famfsLines.size()).stream().allMatch(String::isEmpty),
                name + ": mkfs.txt has more after the \"Famfs log:\" block");
        assertTrue(famfs.contains("  Space amplification:     inf"), name + ": mkfs.txt space amplification");

        try (TestDevice d = TestDevice.create(c.deviceSize());
                Device dev = d.open(true)) {
            Golden.mkfsAsRecorded(dev, sb);
            FsckReport r = Fsck.check(FamfsVolume.open(dev), HOST);
            assertTrue(r.clean());
            assertEquals(0, r.entriesUsed());
            assertEquals(0, r.sumFileSizes());
            assertEquals("inf", r.spaceAmplificationText());
            List<String> ours = Golden.fsckSection(print(r, true), name + " our fsck -h after mkfs");
            Golden.assertSameLines(famfs, ours, name + " mkfs.txt");
        }
    }
}
