package io.famfs.meta.agent.view;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.replay.Namespace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The agent's view kept in RocksDB in its state folder, so that a restarted agent resumes from the entry it had
 * applied instead of replaying the whole log: the view's identity and a snapshot of its namespace
 * ({@link Namespace#writeSnapshot}), in 4 MiB chunks with a CRC-32C over them, all written in one batch.
 *
 * <p>A cache is a hint, never a source of truth: the caller compares the cached identity with shared memory before it
 * uses the namespace, and starts over (and clears the cache) when they differ.
 *
 * <pre>
 *   "identity"   fs uuid (16, big-endian) | log_len | header CRC | applied | last seqnum | last CRC  (u64 each)
 *   "snapshot"   length (u64) | chunks (u32) | CRC-32C of the bytes (u32)
 *   "chunk/NNNNNNNN"  up to 4 MiB of the snapshot each
 * </pre>
 */
public final class ViewCache implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final int CHUNK = 4 << 20;
    private static final byte[] IDENTITY = key("identity");
    private static final byte[] SNAPSHOT = key("snapshot");
    private static final byte[] CHUNKS_FROM = key("chunk/");
    private static final byte[] CHUNKS_TO = key("chunk0"); // '0' follows '/': the end of the chunk range

    /** A cached view: its identity and namespace. */
    public record Cached(ViewIdentity identity, Namespace namespace) {}

    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions().setSync(false);
    private final Path dir;

    private ViewCache(RocksDB db, Path dir) {
        this.db = db;
        this.dir = dir;
    }

    /** Opens (or creates) the cache in {@code dir}; IO error when another agent holds it. */
    public static ViewCache open(Path dir) {
        try {
            Files.createDirectories(dir);
            return new ViewCache(RocksDB.open(new Options().setCreateIfMissing(true), dir.toString()), dir);
        } catch (RocksDBException e) {
            String why = e.getMessage() != null && e.getMessage().contains("lock")
                    ? "another agent uses it (" + e.getMessage() + ")"
                    : e.getMessage();
            throw new FamfsException(ErrorCode.IO, "cannot open the view cache " + dir + ": " + why, e);
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot create the view cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code namespace} and its {@code identity} in place of what the cache held. */
    public void save(ViewIdentity identity, Namespace namespace) {
        save(identity, snapshotOf(namespace));
    }

    /** The snapshot bytes of {@code namespace} ({@link Namespace#writeSnapshot}), as {@link #save} stores them. */
    public static byte[] snapshotOf(Namespace namespace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            namespace.writeSnapshot(out);
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot write a snapshot of the view: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Writes snapshot bytes (as {@link Namespace#writeSnapshot} wrote them) and their identity. */
    public void save(ViewIdentity identity, byte[] snapshot) {
        CRC32C crc = new CRC32C();
        crc.update(snapshot);
        int chunks = (snapshot.length + CHUNK - 1) / CHUNK;
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(CHUNKS_FROM, CHUNKS_TO);
            for (int i = 0; i < chunks; i++) {
                int from = i * CHUNK;
                byte[] chunk = java.util.Arrays.copyOfRange(snapshot, from, Math.min(snapshot.length, from + CHUNK));
                batch.put(chunkKey(i), chunk);
            }
            batch.put(
                    SNAPSHOT,
                    ByteBuffer.allocate(16)
                            .putLong(snapshot.length)
                            .putInt(chunks)
                            .putInt((int) crc.getValue())
                            .array());
            batch.put(IDENTITY, encode(identity));
            db.write(writeOptions, batch);
            // out of the write-ahead log into a table file: a restart then reads the snapshot instead of replaying
            // a WAL of its size (seconds for a 1 GiB log's view)
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
        } catch (RocksDBException e) {
            throw new FamfsException(ErrorCode.IO, "cannot write the view cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cached view, or null when there is none; a cache that does not decode (torn, foreign, of another version)
     * is a CORRUPT error the caller answers by starting over.
     */
    public Cached load() {
        try {
            byte[] id = db.get(IDENTITY);
            byte[] meta = db.get(SNAPSHOT);
            if (id == null || meta == null) {
                return null;
            }
            if (meta.length != 16) {
                throw corrupt("its snapshot record is " + meta.length + " bytes");
            }
            ByteBuffer m = ByteBuffer.wrap(meta);
            long length = m.getLong();
            int chunks = m.getInt();
            int expectedCrc = m.getInt();
            if (length < 0 || chunks != (length + CHUNK - 1) / CHUNK) {
                throw corrupt("its snapshot record is inconsistent (" + length + " bytes in " + chunks + " chunks)");
            }
            List<InputStream> parts = new ArrayList<>(chunks);
            CRC32C crc = new CRC32C();
            long seen = 0;
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = db.get(chunkKey(i));
                if (chunk == null) {
                    throw corrupt("chunk " + i + " of " + chunks + " is missing");
                }
                crc.update(chunk);
                seen += chunk.length;
                parts.add(new ByteArrayInputStream(chunk));
            }
            if (seen != length || (int) crc.getValue() != expectedCrc) {
                throw corrupt("its snapshot's length or CRC-32C does not match");
            }
            try (DataInputStream in = new DataInputStream(new SequenceInputStream(Collections.enumeration(parts)))) {
                return new Cached(decode(id), Namespace.readSnapshot(in));
            }
        } catch (RocksDBException | IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot read the view cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the cached view. */
    public void clear() {
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(CHUNKS_FROM, CHUNKS_TO);
            batch.delete(SNAPSHOT);
            batch.delete(IDENTITY);
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new FamfsException(ErrorCode.IO, "cannot clear the view cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private static FamfsException corrupt(String why) {
        return new FamfsException(ErrorCode.CORRUPT, "the view cache does not decode: " + why);
    }

    static byte[] encode(ViewIdentity id) {
        return ByteBuffer.allocate(56)
                .putLong(id.fsUuid().getMostSignificantBits())
                .putLong(id.fsUuid().getLeastSignificantBits())
                .putLong(id.logLen())
                .putLong(id.headerCrc())
                .putLong(id.applied())
                .putLong(id.lastSeqnum())
                .putLong(id.lastCrc())
                .array();
    }

    static ViewIdentity decode(byte[] b) {
        if (b.length != 56) {
            throw corrupt("its identity is " + b.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        return new ViewIdentity(
                new UUID(in.getLong(), in.getLong()),
                in.getLong(),
                in.getLong(),
                in.getLong(),
                in.getLong(),
                in.getLong());
    }

    private static byte[] chunkKey(int i) {
        return key(String.format("chunk/%08d", i));
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
    }
}
