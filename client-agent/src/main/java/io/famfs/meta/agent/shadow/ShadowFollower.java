package io.famfs.meta.agent.shadow;

import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Node;
import io.famfs.meta.shadow.ShadowTreeWriter;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A continuous famfs logplay: keeps the famfs_fused shadow tree under {@code DIR/root} up with the view, so that an
 * unmodified famfs_fused on this host sees new files without anyone running logplay. The entries the view applied
 * since the last pass are read again from shared memory for their paths; each node they created is written with the
 * same writer as {@code famfs-meta logplay} (the same YAML bytes, modes and owners, and its refusal to follow links).
 * When the view is purged (the file system changed identity), the old tree is removed and written again.
 */
public final class ShadowFollower implements AutoCloseable {
    private static final long PASS_NANOS = Duration.ofMillis(10).toNanos();

    private final AgentView view;
    private final ShadowTreeWriter writer;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long written;
    private long generation = -1;
    private long resets;

    public ShadowFollower(AgentView view, Path shadow, Consumer<String> log) {
        this.view = view;
        this.writer = new ShadowTreeWriter(shadow, false);
        this.log = log;
        this.thread = Thread.ofPlatform().name("famfs-shadow").daemon().unstarted(this::run);
    }

    public ShadowFollower start() {
        thread.start();
        return this;
    }

    /** Entries of the current view whose nodes are in the shadow tree. */
    public long written() {
        return written;
    }

    public Path root() {
        return writer.root();
    }

    private void run() {
        while (running) {
            try {
                pass();
            } catch (FamfsException e) {
                log.accept("shadow tree: " + e.getMessage());
            }
            LockSupport.parkNanos(PASS_NANOS);
        }
    }

    private void pass() {
        AgentView.Status st = view.status();
        FamfsVolume volume = view.volume();
        if (st.identity() == null || volume == null) {
            return;
        }
        if (st.generation() != generation) {
            if (generation >= 0 && st.staleResets() != resets) {
                removeTree(); // the file system changed identity: what the tree holds is another one's
            }
            generation = st.generation();
            resets = st.staleResets();
            written = 0;
        }
        long applied = st.applied();
        if (applied <= written) {
            return;
        }
        List<Object[]> made = new ArrayList<>();
        new LogReader(volume).read(written, applied, ReadMode.STOP_AT_BAD, (index, entry) -> {
            String path = path(entry);
            if (path != null) {
                made.add(new Object[] {index, path});
            }
        });
        List<Node> nodes = view.read(ns -> {
            List<Node> out = new ArrayList<>(made.size());
            if (ns == null) {
                return out;
            }
            for (Object[] m : made) {
                Node n = ns.get((String) m[1]);
                if (n != null && n.index() == (long) m[0]) { // the entry made it (not "existed" or skipped)
                    out.add(n);
                }
            }
            return out;
        });
        if (view.status().generation() != generation) {
            return; // purged meanwhile: start over on the next pass
        }
        ShadowTreeWriter.Result r = writer.writeNodes(nodes);
        for (String error : r.errors()) {
            log.accept("shadow tree: " + error);
        }
        written = applied;
    }

    private static String path(LogEntry entry) {
        return switch (entry) {
            case FileEntry f -> f.relpath();
            case MkdirEntry d -> d.relpath();
            default -> null;
        };
    }

    /** Removes DIR/root and everything under it, never following a link out of it. */
    private void removeTree() {
        Path root = writer.root();
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file); // a symlink is deleted, not followed
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            log.accept("shadow tree: removed " + root + " (the file system it described is gone); writing it again");
        } catch (IOException e) {
            log.accept("shadow tree: cannot remove " + root + ": " + e);
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
