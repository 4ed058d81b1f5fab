package io.famfs.meta.log;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The host identity file, famfs-format.md 2.5: created as famfs creates it, read back, garbage refused. */
class SystemUuidFileTest {

    @Test
    void aMissingFileIsCreatedAsFamfsDoes() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path dir = holder.dir().resolve("opt/famfs");
            Path file = dir.resolve("system_uuid");
            UUID created = SystemUuidFile.readOrCreate(file);

            assertTrue(Files.isDirectory(dir));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(37, bytes.length);
            assertEquals(0, bytes[36], "a NUL ends the UUID");
            String text = new String(bytes, 0, 36, StandardCharsets.US_ASCII);
            assertTrue(text.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), text);
            assertEquals(created, UUID.fromString(text));

            assertEquals(Optional.of(created), SystemUuidFile.read(file));
            assertEquals(created, SystemUuidFile.readOrCreate(file), "an existing file is kept");
            assertArrayEquals(bytes, Files.readAllBytes(file));
        }
    }

    @Test
    void aFileInAnExistingFolderLeavesTheFolderAlone() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Files.setPosixFilePermissions(holder.dir(), PosixFilePermissions.fromString("rwx------"));
            Path file = holder.dir().resolve("system_uuid");
            UUID created = SystemUuidFile.readOrCreate(file);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(holder.dir())));
            assertEquals(Optional.of(created), SystemUuidFile.read(file));
        }
    }

    @Test
    void famfsStyleAndPlainTextFilesAreRead() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            UUID uuid = UUID.fromString("75d2b7b9-d854-4ece-a309-12bfe4d9df5d");
            Path file = holder.dir().resolve("system_uuid");
            Files.write(file, (uuid + "\0").getBytes(StandardCharsets.US_ASCII));
            assertEquals(Optional.of(uuid), SystemUuidFile.read(file));
            Files.writeString(file, uuid + "\n");
            assertEquals(Optional.of(uuid), SystemUuidFile.read(file));
            assertEquals(uuid, SystemUuidFile.readOrCreate(file));
        }
    }

    @Test
    void garbageIsInvalidArgument() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path file = holder.dir().resolve("system_uuid");
            for (String garbage : new String[] {
                "not a uuid at all\n",
                "",
                "75d2b7b9-d854-4ece-a309-12bfe4d9df5",
                "75d2b7b9-d854-4ece-a309-12bfe4d9df5dx",
                "75d2b7b9d8544ecea30912bfe4d9df5d\0",
                "zzd2b7b9-d854-4ece-a309-12bfe4d9df5d"
            }) {
                Files.writeString(file, garbage);
                FamfsException e = assertThrows(FamfsException.class, () -> SystemUuidFile.read(file), garbage);
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), garbage);
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                FamfsException again =
                        assertThrows(FamfsException.class, () -> SystemUuidFile.readOrCreate(file), garbage);
                assertEquals(ErrorCode.INVALID_ARGUMENT, again.code());
                assertEquals(garbage, Files.readString(file), "readOrCreate must not replace a bad file");
            }
        }
    }

    @Test
    void readingAMissingFileIsEmptyAndCreatesNothing() {
        try (TestDevice holder = TestDevice.create(0)) {
            Path dir = holder.dir().resolve("opt/famfs");
            Path file = dir.resolve("system_uuid");
            assertEquals(Optional.empty(), SystemUuidFile.read(file));
            assertFalse(Files.exists(dir), "read() must not create the folder");
            Path inExisting = holder.dir().resolve("system_uuid");
            assertEquals(Optional.empty(), SystemUuidFile.read(inExisting));
            assertFalse(Files.exists(inExisting), "read() must not create the file");
        }
    }
}
