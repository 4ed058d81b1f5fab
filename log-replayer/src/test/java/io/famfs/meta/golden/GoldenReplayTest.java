package io.famfs.meta.golden;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.LogHeader;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every golden image replays to exactly the namespace its case.json lists, and opens with the decoded fields. */
class GoldenReplayTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void replaysToExactlyTheCaseNamespace(String name) {
        GoldenCase c = Golden.load(name);
        try (TestDevice d = c.device();
                Device dev = d.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            long entries = c.json().get("num_entries").asLong();
            assertEquals(entries, volume.readNextIndex(), name + ": next_index");

            Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertFalse(
                    replay.result().stopped(),
                    () -> name + ": replay stopped: " + replay.result().stoppedBy());
            assertEquals(0, replay.result().from());
            assertEquals(entries, replay.result().end(), name + ": replay end");
            assertEquals(entries, replay.result().to(), name + ": next_index the pass read");
            assertEquals(List.of(), replay.result().skipped(), name + ": skipped bad entries");
            assertEquals(entries, replay.namespace().nextIndex(), name + ": namespace next index");
            assertEquals(
                    c.json()
                            .get("counts")
                            .get("log_entries_replayed_before_stop")
                            .asLong(),
                    replay.namespace().nextIndex());

            Golden.assertNamespaceMatches(c, replay.namespace());
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void opensWithTheDecodedSuperblockAndHeader(String name) {
        GoldenCase c = Golden.load(name);
        JsonNode sbJson = c.json().get("superblock_decoded");
        JsonNode hJson = c.json().get("log_header_decoded");
        try (TestDevice d = c.device();
                Device dev = d.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            assertFalse(volume.writable(), "a read-only mapping must not be writable");

            Superblock sb = volume.superblock();
            assertEquals(sbJson.get("magic").asLong(), sb.magic(), "magic");
            assertEquals(0x87b282ffL, sb.magic(), "magic constant");
            assertEquals(sbJson.get("version").asLong(), sb.version(), "version");
            assertEquals(c.json().get("famfs_version_field").asLong(), sb.version(), "famfs_version_field");
            assertEquals(sbJson.get("log_offset").asLong(), sb.logOffset(), "log_offset");
            assertEquals(sbJson.get("log_len").asLong(), sb.logLen(), "log_len");
            assertEquals(c.logLen(), sb.logLen(), "case log_len");
            assertEquals(sbJson.get("alloc_unit").asLong(), sb.allocUnit(), "alloc_unit");
            assertEquals(sbJson.get("omf_ver_major").asInt(), sb.omfMajor(), "OMF major");
            assertEquals(sbJson.get("omf_ver_minor").asInt(), sb.omfMinor(), "OMF minor");
            assertEquals(c.json().get("omf_version").asText(), sb.omfMajor() + "." + sb.omfMinor(), "omf_version");
            assertEquals(UUID.fromString(sbJson.get("fs_uuid").asText()), sb.fsUuid(), "fs uuid");
            assertEquals(UUID.fromString(sbJson.get("dev_uuid").asText()), sb.devUuid(), "dev uuid");
            assertEquals(UUID.fromString(sbJson.get("system_uuid").asText()), sb.systemUuid(), "system uuid");
            assertEquals(sbJson.get("crc_stored").asLong(), sb.storedCrc(), "stored crc");
            assertEquals(sbJson.get("crc32_of_bytes_0_96").asLong(), sb.computedCrc(), "computed crc");
            assertEquals(sbJson.get("sb_flags").asInt(), sb.flags(), "sb_flags");
            assertEquals(sbJson.get("daxdev_size").asLong(), sb.devSize(), "dd_size");
            assertEquals(c.deviceSize(), sb.devSize(), "case device_size");
            assertEquals(c.deviceSize(), volume.devSize(), "volume dev size");
            assertEquals(UUID.fromString(sbJson.get("daxdev_uuid").asText()), sb.daxdevUuid(), "dd_uuid");
            assertEquals(sbJson.get("daxdev_name").asText(), sb.daxdevName(), "dd_daxdev");

            LogHeader h = volume.openedHeader();
            assertEquals(hJson.get("magic").asLong(), h.magic(), "log magic");
            assertEquals(0x00000badcafef00dL, h.magic(), "log magic constant");
            assertEquals(hJson.get("log_len").asLong(), h.logLen(), "log len");
            assertEquals(hJson.get("last_index").asLong(), h.lastIndex(), "last index");
            assertEquals(hJson.get("header_crc_stored").asLong(), h.storedCrc(), "header crc");
            assertEquals(hJson.get("crc32_of_bytes_0_24").asLong(), h.computedCrc(), "computed header crc");
            assertEquals(hJson.get("next_seqnum").asLong(), h.nextSeqnum(), "next seqnum");
            assertEquals(hJson.get("next_index").asLong(), h.nextIndex(), "next index");
            assertEquals(hJson.get("capacity_entries").asLong(), h.capacity(), "capacity");
            assertEquals(c.json().get("log_capacity_entries").asLong(), volume.capacity(), "volume capacity");
            assertEquals(h.lastIndex(), volume.lastIndex(), "volume last index");
            assertEquals(h.nextSeqnum(), volume.readNextSeqnum(), "live next_seqnum");
            assertEquals(h.nextIndex(), volume.readNextIndex(), "live next_index");
        }
    }
}
