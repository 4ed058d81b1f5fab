package io.famfs.meta.leader.store;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The answers to requests that carried a client request id, kept in RocksDB in the leader's state folder: the log does
 * not hold request ids, so this is what lets a retry after a timeout or a leader restart get the same answer and write
 * nothing (DESIGN.md invariant 3: kept durably beside the log, and named as such). Keys are scoped to the file system's
 * UUID, so ids of a file system that was made anew never match. The leader stores a group's answers before it
 * publishes the group's entries, and checks a stored answer against the namespace before it trusts it.
 */
public final class RequestStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final String scope;

    private RequestStore(RocksDB db, String scope) {
        this.db = db;
        this.scope = scope;
        // Not synced: the answers must survive the process (kill -9), which RocksDB's write-ahead log in the page cache
        // gives; the log in shared memory does not survive a host crash either.
        this.writeOptions = new WriteOptions().setSync(false);
    }

    public static RequestStore open(Path dir, UUID fsUuid) {
        try {
            Options options = new Options().setCreateIfMissing(true);
            return new RequestStore(RocksDB.open(options, dir.toString()), fsUuid + "/");
        } catch (RocksDBException e) {
            throw new FamfsException(ErrorCode.IO, "cannot open the request store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The stored answer for {@code requestId}, or null. */
    public byte[] get(String requestId) {
        try {
            return db.get(key(requestId));
        } catch (RocksDBException e) {
            throw new FamfsException(ErrorCode.IO, "request store: " + e.getMessage(), e);
        }
    }

    /** Stores answers by request id, all in one write. */
    public void putAll(Map<String, byte[]> answers) {
        if (answers.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<String, byte[]> e : answers.entrySet()) {
                batch.put(key(e.getKey()), e.getValue());
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new FamfsException(ErrorCode.IO, "request store: " + e.getMessage(), e);
        }
    }

    private byte[] key(String requestId) {
        return (scope + requestId).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
    }
}
