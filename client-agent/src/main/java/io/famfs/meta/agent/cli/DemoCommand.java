package io.famfs.meta.agent.cli;

import io.famfs.meta.agent.RunningAgent;
import io.famfs.meta.agent.tail.IdleStrategy;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.cli.Sizes;
import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.leader.cli.LeaderCommand;
import io.famfs.meta.leader.cli.ListenOptions;
import io.famfs.meta.leader.cli.NodeText;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.core.LeaderSettings;
import io.famfs.meta.leader.server.RunningLeader;
import io.famfs.meta.log.AppendHook;
import io.famfs.meta.log.Mkfs;
import io.famfs.meta.log.SystemUuidFile;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.StatResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on an embedded default: an emulated device (a sparse file), mkfs, a leader on it, two agents (two
 * "hosts" sharing the device), a few directories and files (one striped, a batch) created through the API, and how
 * long a new file took to be visible on each host; then everything keeps serving until Ctrl-C.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Make an emulated famfs device, start a leader and two agents on it, create files through the"
                + " leader's API, show them on both hosts, and serve.",
        footer = {"", "The demo re-makes its device on every run; its host identity and state stay in --dir."})
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "/dev/shm/famfs-meta-demo",
            description = "Folder for the demo's device, host identity and leader state (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--size",
            paramLabel = "SIZE",
            converter = Sizes.class,
            defaultValue = "8g",
            description = "Size of the emulated device; sparse, so it costs nothing until written"
                    + " (default: ${DEFAULT-VALUE}).")
    long size;

    @Mixin
    ListenOptions listen;

    @Option(
            names = "--agent-ports",
            paramLabel = "PORT,PORT",
            split = ",",
            defaultValue = "9490,9491",
            description = "Operator API ports of the two agents, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int[] agentPorts;

    @Option(
            names = "--no-wait",
            description = "Stop the leader and the agents after the demo instead of serving until Ctrl-C.")
    boolean noWait;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (size < Famfs.MIN_DEVICE_SIZE) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "--size must be at least 4g");
        }
        Files.createDirectories(dir);
        Path device = dir.resolve("dax0.img");
        Path systemUuidFile = dir.resolve("system_uuid");
        Path stateDir = dir.resolve("state");
        // The demo owns this device: it is re-made on every run.
        Files.deleteIfExists(device);
        try (RandomAccessFile file = new RandomAccessFile(device.toFile(), "rw")) {
            file.setLength(size);
        }
        out.println("1. made an emulated device: " + device + " (" + size + " bytes, sparse)");

        UUID owner = SystemUuidFile.readOrCreate(systemUuidFile);
        try (Device dev = Device.open(device, Device.Options.readWrite())) {
            Superblock sb = Mkfs.format(
                    dev,
                    new Mkfs.Params(
                            UUID.randomUUID(), UUID.randomUUID(), owner, Famfs.DEFAULT_LOG_LEN, "/dev/dax0.0", true));
            out.println("2. mkfs: famfs file system " + sb.fsUuid() + ", 8 MiB log, owner " + owner);
        }

        out.println("3. started a leader on it:");
        LeaderSettings settings = new LeaderSettings(
                device,
                Device.Options.readWrite(),
                stateDir,
                systemUuidFile,
                false,
                false,
                InterleaveParams.CONTIGUOUS,
                System.nanoTime(),
                AppendHook.NONE);
        RunningLeader running = RunningLeader.start(settings, listen.host, listen.restPort, listen.grpcPort, null, out);
        List<RunningAgent> agents = new ArrayList<>();
        boolean serving = false;
        try {
            LeaderCommand.banner(running, out);
            String token = Files.readString(running.tokenFile()).trim();
            if (agentPorts.length != 2) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "--agent-ports takes two ports: PORT,PORT");
            }
            out.println("4. started two agents, two \"hosts\" mapping the same device (each follows the log in shared"
                    + " memory):");
            String[] hosts = {"host-a", "host-b"};
            for (int i = 0; i < 2; i++) {
                RunningAgent agent = RunningAgent.start(
                        new RunningAgent.Settings(
                                device,
                                Device.Options.readOnly(),
                                hosts[i],
                                IdleStrategy.named("backoff", java.time.Duration.ofNanos(500_000)),
                                listen.host,
                                agentPorts[i],
                                new RunningAgent.Leader(
                                        listen.host, running.server().grpcPort(), token),
                                dir.resolve("agent-" + hosts[i]),
                                java.time.Duration.ofSeconds(30),
                                dir.resolve("agent-" + hosts[i]).resolve("bridge.sock"),
                                dir.resolve("agent-" + hosts[i]).resolve("shadow"),
                                i == 0
                                        ? systemUuidFile
                                        : dir.resolve("agent-" + hosts[i]).resolve("system_uuid")),
                        quiet());
                agents.add(agent);
                out.println("  " + hosts[i] + "  " + agent.restUrl() + "   (/v1/status, /v1/fmap?path=..., /metrics)"
                        + "; bridge socket " + agent.socket());
            }
            LeaderClient client = new LeaderClient(URI.create(running.restUrl() + "/"), token);
            out.println(
                    "5. created through the REST API (mkdir -p, a striped 1 GiB file, a small file, a batch of 8):");
            createFiles(client);
            visible(client, agents, out);
            out.println();
            tree(client, "", "  ", out);
            out.println();
            NodeText.usage(client.usage(), out);
            out.println();
            String state = "--state-dir " + stateDir;
            out.println("Each host's view: curl -s " + agents.get(0).restUrl() + "/v1/status");
            out.println("Try (the CLI finds the leader and its token in the state folder):");
            out.println("  ./famfs-meta ls models/llama " + state);
            out.println("  ./famfs-meta getmap models/llama/weights.bin " + state);
            out.println("  ./famfs-meta creat notes.txt --size 1m " + state);
            out.println("  curl -s -H \"Authorization: Bearer $(cat " + running.tokenFile() + ")\" " + running.restUrl()
                    + "/v1/list?path=models/llama");
            out.println("  curl -s " + running.restUrl() + "/health/ready");
            out.println("  ./famfs-meta fsck --device " + device + " --system-uuid-file " + systemUuidFile);
            out.println("  gRPC service famfs.v1.Leader at " + running.grpcAddress()
                    + " (reflection on; send the same bearer token as 'authorization' metadata)");
            if (noWait) {
                return ExitCodes.OK;
            }
            out.println();
            out.println("The leader and the agents serve until Ctrl-C.");
            out.flush();
            serving = true;
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("famfs-meta demo: stopping the agents and the leader");
                out.flush();
                agents.forEach(RunningAgent::close);
                running.close();
                stopped.countDown();
            }));
            stopped.await();
            return ExitCodes.OK;
        } finally {
            if (!serving) {
                agents.forEach(RunningAgent::close);
                running.close();
            }
        }
    }

    /** The agents' own messages are for their logs, not for the demo's screen. */
    private static PrintWriter quiet() {
        return new PrintWriter(java.io.OutputStream.nullOutputStream());
    }

    /**
     * Creates one more file and measures, on this process's clock, the time from the leader's answer to the file being
     * in each agent's view (each polled in process; the agents follow shared memory, not the network).
     */
    private static void visible(LeaderClient client, List<RunningAgent> agents, PrintWriter out) {
        client.createFile(
                CreateFileRequest.newBuilder().setPath("hello.txt").setSize(1).build());
        long acked = System.nanoTime();
        StringBuilder line = new StringBuilder("   hello.txt, created after them, was visible on");
        for (RunningAgent agent : agents) {
            long deadline = acked + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (agent.view().lookup("hello.txt").node() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long took = System.nanoTime() - acked;
            boolean seen = agent.view().lookup("hello.txt").node() != null;
            line.append(
                    seen
                            ? String.format(
                                    " %s %.0f µs after the leader's answer;",
                                    agent.settings().hostId(), took / 1e3)
                            : " " + agent.settings().hostId() + " NOT within 10 s;");
        }
        out.println(line.substring(0, line.length() - 1));
    }

    /** A small tree: a striped 1 GiB file, a small one, and a batch of eight in one call. */
    private void createFiles(LeaderClient client) {
        client.mkdir(MkdirRequest.newBuilder()
                .setPath("models/llama")
                .setParents(true)
                .build());
        int nbuckets = (int) Math.min(8, size >> 30);
        client.createFile(CreateFileRequest.newBuilder()
                .setPath("models/llama/weights.bin")
                .setSize(1L << 30)
                .setInterleave(Interleave.newBuilder()
                        .setNbuckets(nbuckets)
                        .setNstrips(Math.min(4, nbuckets))
                        .setChunkSize(2L << 20))
                .build());
        client.createFile(CreateFileRequest.newBuilder()
                .setPath("models/llama/config.json")
                .setSize(4096)
                .build());
        CreateFilesRequest.Builder batch = CreateFilesRequest.newBuilder();
        for (int i = 0; i < 8; i++) {
            batch.addFiles(CreateFileRequest.newBuilder()
                    .setPath("scratch/shard-" + i)
                    .setSize(16L << 20)
                    .setParents(true));
        }
        client.createFiles(batch.build());
    }

    private static void tree(LeaderClient client, String path, String indent, PrintWriter out) {
        ListResponse list = client.list(path);
        for (StatResponse child : list.getChildrenList()) {
            out.println(indent + NodeText.line(child));
            if (child.hasDir()) {
                tree(client, child.getDir().getPath(), indent + "  ", out);
            }
        }
    }
}
