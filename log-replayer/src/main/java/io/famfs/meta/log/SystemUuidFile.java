package io.famfs.meta.log;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/**
 * The host identity famfs uses to decide who owns a file system: the text UUID in {@code /opt/famfs/system_uuid}
 * (famfs-format.md 2.5). Every process of ours takes its own path, since tests run several "hosts" on one machine.
 */
public final class SystemUuidFile {
    private SystemUuidFile() {}

    public static final Path DEFAULT = Path.of("/opt/famfs/system_uuid");

    /** The UUID in {@code file}, or empty when the file does not exist. */
    public static Optional<UUID> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot read system uuid file " + file + ": " + e.getMessage(), e);
        }
        String trimmed = text.replace("\0", "").trim();
        try {
            if (trimmed.length() != 36) {
                throw new IllegalArgumentException("length " + trimmed.length());
            }
            return Optional.of(UUID.fromString(trimmed));
        } catch (IllegalArgumentException e) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "system uuid file " + file + " does not hold a UUID: '" + trimmed + "'");
        }
    }

    /**
     * The UUID in {@code file}, creating the file as famfs does when it is missing: its folder with mode 0755, then
     * 36 characters and a NUL (37 bytes) of a random UUID, mode 0444.
     */
    public static UUID readOrCreate(Path file) {
        Optional<UUID> existing = read(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        UUID uuid = UUID.randomUUID();
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            // Complete before it appears: written under a temporary name, then linked (link fails if it exists).
            tmp = Files.createTempFile(dir, ".system_uuid", ".tmp");
            Files.write(tmp, (uuid + "\0").getBytes(StandardCharsets.US_ASCII));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            Files.createLink(file, tmp);
            return uuid;
        } catch (FileAlreadyExistsException e) {
            return read(file).orElseThrow(); // another process created it first
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot create system uuid file " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover hidden temporary file is harmless
                }
            }
        }
    }
}
