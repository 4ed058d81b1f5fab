package io.famfs.meta.leader.core;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.leader.alloc.Allocator;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an {@link Op} into log entries in two steps: {@link #plan} checks it against the namespace (existing paths,
 * parents), reserves its space and checks the log has room, with no effect but the reservations (given back when the
 * plan fails); {@link #execute} writes the planned entries into the append batch and applies each to the namespace.
 * So an op that cannot be done as a whole writes nothing. The home of the create rules (famfs's creat: an identical
 * file is a success with no new entry; a path is never logged twice).
 */
final class Planner {
    private final Namespace ns;
    private final Allocator allocator;

    Planner(Namespace ns, Allocator allocator) {
        this.ns = ns;
        this.allocator = allocator;
    }

    /** One entry to write: a directory, or a file with its reserved space. */
    private sealed interface Step permits DirStep, FileStep {}

    private record DirStep(String path, int mode, int uid, int gid) implements Step {}

    private record FileStep(FileSpec spec, Allocator.Allocation allocation, int resultSlot) implements Step {}

    /** A checked op: its steps in order, and the answers for files that existed already. */
    static final class Plan {
        final Op op;
        final List<Step> steps = new ArrayList<>();
        final List<CreateFileResponse> results = new ArrayList<>();
        final Set<String> plannedDirs = new HashSet<>();

        Plan(Op op) {
            this.op = op;
        }
    }

    /** Checks {@code op} and reserves what it needs; INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, NO_SPACE, LOG_FULL. */
    Plan plan(Op op, long room) {
        Plan plan = new Plan(op);
        long position = allocator.position();
        try {
            switch (op) {
                case Op.CreateFiles c -> planFiles(c, plan);
                case Op.Mkdir m -> planMkdir(m, plan);
            }
            if (plan.steps.size() > room) {
                throw new FamfsException(
                        ErrorCode.LOG_FULL, "log full: " + plan.steps.size() + " entries needed, " + room + " free");
            }
            return plan;
        } catch (RuntimeException e) {
            release(plan);
            allocator.restore(position);
            throw e;
        }
    }

    /** Gives back the space a plan reserved (it will not be written). */
    private void release(Plan plan) {
        for (Step s : plan.steps) {
            if (s instanceof FileStep f) {
                allocator.release(f.allocation());
            }
        }
    }

    private void planFiles(Op.CreateFiles c, Plan plan) {
        Set<String> paths = new HashSet<>();
        for (FileSpec f : c.files()) {
            if (!paths.add(f.path())) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "path given twice in one batch: " + f.path());
            }
            Node existing = ns.get(f.path());
            if (existing instanceof FileNode file) {
                if (!sameFile(file, f)) {
                    throw new FamfsException(
                            ErrorCode.ALREADY_EXISTS,
                            "a different file exists at " + f.path() + " (log index " + file.index() + ")");
                }
                plan.results.add(CreateFileResponse.newBuilder()
                        .setFile(Protos.file(file))
                        .setCreated(false)
                        .build());
                continue;
            }
            if (existing instanceof DirNode) {
                throw new FamfsException(ErrorCode.ALREADY_EXISTS, "a directory exists at " + f.path());
            }
            ensureParent(f.path(), f.parents(), f.uid(), f.gid(), plan);
            Allocator.Allocation space = allocator.allocate(f.size(), f.interleave());
            plan.steps.add(new FileStep(f, space, plan.results.size()));
            plan.results.add(null); // filled in by execute
        }
    }

    private void planMkdir(Op.Mkdir m, Plan plan) {
        Node existing = ns.get(m.path());
        if (existing instanceof DirNode && m.parents()) {
            return; // mkdir -p of an existing directory: nothing to do
        }
        if (existing != null) {
            throw new FamfsException(
                    ErrorCode.ALREADY_EXISTS,
                    (existing instanceof DirNode ? "a directory" : "a file") + " exists at " + m.path());
        }
        ensureParent(m.path(), m.parents(), m.uid(), m.gid(), plan);
        plan.steps.add(new DirStep(m.path(), m.mode(), m.uid(), m.gid()));
        plan.plannedDirs.add(m.path());
    }

    /** The parent of {@code path} exists as a directory, or is planned, or (with {@code parents}) gets planned. */
    private void ensureParent(String path, boolean parents, int uid, int gid, Plan plan) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        String parent = path.substring(0, slash);
        if (plan.plannedDirs.contains(parent)) {
            return;
        }
        Node node = ns.get(parent);
        if (node instanceof DirNode) {
            return;
        }
        if (node != null) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "parent " + parent + " of " + path + " is a file");
        }
        if (!parents) {
            throw new FamfsException(
                    ErrorCode.NOT_FOUND, "parent directory " + parent + " of " + path + " does not exist");
        }
        ensureParent(parent, true, uid, gid, plan);
        plan.steps.add(new DirStep(parent, 0755, uid, gid));
        plan.plannedDirs.add(parent);
    }

    /** famfs's creat rule: an unflagged file with the same size, mode, owner and the same kind of map. */
    private static boolean sameFile(FileNode file, FileSpec spec) {
        if (file.flagged()
                || file.size() != spec.size()
                || file.mode() != spec.mode()
                || file.uid() != spec.uid()
                || file.gid() != spec.gid()) {
            return false;
        }
        InterleaveParams p = spec.interleave();
        boolean contiguous = p == null || p.contiguous() || spec.size() < p.chunkSize();
        Fmap fmap = file.fmap();
        if (contiguous) {
            return fmap instanceof SimpleFmap;
        }
        if (!(fmap instanceof InterleavedFmap interleaved)
                || interleaved.extents().size() != 1) {
            return false;
        }
        InterleavedExtent ie = interleaved.extents().getFirst();
        return ie.nstrips() == p.nstrips() && ie.chunkSize() == p.chunkSize();
    }

    /** Writes the plan's entries into {@code batch}, applying each to the namespace; returns the answer. */
    com.google.protobuf.Message execute(Plan plan, LogAppender.Batch batch) {
        List<DirInfo> createdDirs = new ArrayList<>();
        for (Step step : plan.steps) {
            switch (step) {
                case DirStep d -> {
                    long index = batch.add(MkdirEntry.create(d.path(), d.mode(), d.uid(), d.gid()));
                    ns.apply(index, batch.lastEntry());
                    createdDirs.add(Protos.dir(d.path(), d.mode(), d.uid(), d.gid(), index));
                }
                case FileStep f -> {
                    FileSpec s = f.spec();
                    Fmap fmap = f.allocation().fmap();
                    long index = batch.add(FileEntry.create(s.path(), s.size(), s.mode(), s.uid(), s.gid(), fmap));
                    ns.apply(index, batch.lastEntry());
                    plan.results.set(
                            f.resultSlot(),
                            CreateFileResponse.newBuilder()
                                    .setFile(Protos.file(s.path(), s.size(), s.mode(), s.uid(), s.gid(), index, fmap))
                                    .setCreated(true)
                                    .build());
                }
            }
        }
        return switch (plan.op) {
            case Op.CreateFiles c when !c.batch() -> plan.results.getFirst();
            case Op.CreateFiles c ->
                CreateFilesResponse.newBuilder().addAllResults(plan.results).build();
            case Op.Mkdir m -> {
                DirInfo dir = createdDirs.isEmpty() ? Protos.dir((DirNode) ns.get(m.path())) : createdDirs.getLast();
                yield MkdirResponse.newBuilder()
                        .setDir(dir)
                        .addAllCreated(createdDirs)
                        .build();
            }
        };
    }
}
