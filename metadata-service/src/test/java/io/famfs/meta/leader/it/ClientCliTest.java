package io.famfs.meta.leader.it;

import static io.famfs.meta.leader.it.ApiSupport.logRegion;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.cli.Cli;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client commands (creat, mkdir, ls, stat, getmap, usage) run in process against a real leader, found with
 * {@code --leader URL --token T} or through the leader's state folder; what they print is checked against the log
 * (the tests' own decoder), and every failure is one line on stderr with its exit code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCliTest {
    private SharedLeader shared;
    private TestDevice dev;
    private LeaderProcess leader;

    @BeforeAll
    void start() {
        shared = SharedLeader.start();
        dev = shared.dev;
        leader = shared.leader;
    }

    @AfterAll
    void stop() {
        if (shared != null) {
            shared.close();
        }
    }

    /** {@code famfs-meta COMMAND --leader URL --token T ARGS...}. */
    private Cli.Run cli(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--leader", leader.restUrl(), "--token", leader.token()));
        all.addAll(Arrays.asList(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /** {@code famfs-meta COMMAND --state-dir DIR ARGS...}: address and token from the leader's own files. */
    private Cli.Run local(String command, String... args) {
        List<String> all = new ArrayList<>(
                List.of(command, "--state-dir", leader.stateDir().toString()));
        all.addAll(Arrays.asList(args));
        return Cli.run(all.toArray(String[]::new));
    }

    private TestLog log() {
        return TestLog.of(dev.path());
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The map lines famfs-meta prints for a logged file, from the tests' decoder. */
    private static List<String> mapLines(TestLog.Entry e) {
        List<String> lines = new ArrayList<>();
        if (e.interleaved()) {
            lines.add("extents:  1 interleaved");
            lines.add("  " + e.extents().size() + " strips, chunk size " + hex(e.chunkSize()));
            for (int i = 0; i < e.extents().size(); i++) {
                TestLog.Extent x = e.extents().get(i);
                lines.add("  strip " + i + ": dev 0 offset " + hex(x.offset()) + " length " + hex(x.length()));
            }
        } else {
            lines.add("extents:  " + e.extents().size() + " simple");
            for (int i = 0; i < e.extents().size(); i++) {
                TestLog.Extent x = e.extents().get(i);
                lines.add("  " + i + ": dev 0 offset " + hex(x.offset()) + " length " + hex(x.length()));
            }
        }
        return lines;
    }

    private static List<String> lines(Cli.Run run) {
        return List.of(run.out().split("\n"));
    }

    @Test
    void creatPrintsWhatTheLeaderLogged() {
        Cli.Run made = cli("creat", "-s", "3m", "-m", "0640", "-u", "10", "-g", "20", "cli-file")
                .assertOk("created", "path:     cli-file", "size:     3145728", "mode:     0640  uid 10  gid 20");
        assertEquals("", made.err());
        TestLog.Entry e = log().get("cli-file");
        assertEquals(3L << 20, e.size());
        assertEquals(0640, e.mode());
        assertEquals(10, e.uid());
        assertEquals(20, e.gid());
        assertTrue(made.out().contains("index:    " + e.index()), made::toString);
        assertTrue(lines(made).containsAll(mapLines(e)), made::toString);

        // famfs's creat rule: identical is success and writes nothing; anything else exits 8
        byte[] before = logRegion(dev.path());
        cli("creat", "-s", "3m", "-m", "0640", "-u", "10", "-g", "20", "cli-file")
                .assertOk("exists (identical; nothing written)", "index:    " + e.index());
        cli("creat", "-s", "4m", "-m", "0640", "-u", "10", "-g", "20", "cli-file")
                .assertError(ExitCodes.EXISTS, "cli-file");
        assertArrayEquals(before, logRegion(dev.path()));

        Cli.Run striped = cli(
                        "creat", "-s", "20m", "-B", "8", "-N", "4", "-C", "2m", "-u", "0", "-g", "0", "cli-striped")
                .assertOk("created", "4 strips, chunk size 0x200000");
        TestLog.Entry s = log().get("cli-striped");
        assertTrue(s.interleaved());
        assertTrue(lines(striped).containsAll(mapLines(s)), striped::toString);

        // the default owner is the caller's, as famfs creat does
        Cli.Run mine = cli("creat", "-s", "1", "cli-mine").assertOk("created", "mode:     0644");
        TestLog.Entry m = log().get("cli-mine");
        assertTrue(mine.out().contains("uid " + m.uid() + "  gid " + m.gid()), mine::toString);
    }

    @Test
    void creatErrorsAreOneLineWithTheirExitCode() {
        byte[] before = logRegion(dev.path());
        cli("creat", "-s", "1", "a/../b").assertError(ExitCodes.USAGE, "..");
        cli("creat", "-s", "0", "zero").assertError(ExitCodes.USAGE, "size");
        cli("creat", "-s", "1", "-m", "1777", "sticky").assertError(ExitCodes.USAGE, "mode");
        cli("creat", "-s", "1", "-B", "65", "-N", "2", "-C", "2m", "bad-striping")
                .assertError(ExitCodes.USAGE, "nbuckets");
        cli("creat", "-s", "1", "no-parent/x").assertError(ExitCodes.NOT_FOUND, "no-parent");
        cli("creat", "-s", "1", "--request-id", "has space", "rid").assertError(ExitCodes.USAGE, "request_id");
        long free = Long.parseLong(lines(cli("usage")).stream()
                .filter(l -> l.startsWith("free:"))
                .findFirst()
                .orElseThrow()
                .replaceAll("\\D", ""));
        cli("creat", "-s", Long.toString(free + 1), "too-big").assertError(ExitCodes.NO_SPACE, "no space");
        assertArrayEquals(before, logRegion(dev.path()), "a refused creat wrote something");

        cli("creat", "-p", "-s", "1", "made-parents/x/y").assertOk("created");
        TestLog log = log();
        assertFalse(log.get("made-parents/x").file());
        assertTrue(log.get("made-parents/x/y").file());
    }

    @Test
    void mkdirWithAndWithoutParents() {
        cli("mkdir", "cli-d1")
                .assertOk("created: cli-d1 (log index " + log().get("cli-d1").index() + ")");
        TestLog.Entry d1 = log().get("cli-d1");
        assertEquals(0755, d1.mode());

        byte[] before = logRegion(dev.path());
        cli("mkdir", "cli-d1").assertError(ExitCodes.EXISTS, "cli-d1");
        cli("mkdir", "-p", "cli-d1").assertOk("exists: cli-d1");
        cli("mkdir", "no-such/sub").assertError(ExitCodes.NOT_FOUND, "no-such");
        cli("mkdir", "-m", "2755", "setgid").assertError(ExitCodes.USAGE, "mode");
        assertArrayEquals(before, logRegion(dev.path()), "a refused or idle mkdir wrote something");

        Cli.Run deep = cli("mkdir", "-p", "-m", "0700", "cli-x/y/z").assertOk();
        TestLog log = log();
        assertEquals(
                List.of(
                        "created: cli-x (log index " + log.get("cli-x").index() + ")",
                        "created: cli-x/y (log index " + log.get("cli-x/y").index() + ")",
                        "created: cli-x/y/z (log index " + log.get("cli-x/y/z").index() + ")"),
                lines(deep));
        assertEquals(0700, log.get("cli-x/y/z").mode());
    }

    @Test
    void lsAndStat() {
        cli("mkdir", "-p", "ls-dir/sub").assertOk();
        cli("creat", "-s", "5m", "-m", "0640", "-u", "7", "-g", "8", "ls-dir/f").assertOk();
        Cli.Run ls = cli("ls", "ls-dir").assertOk();
        List<String> out = lines(ls);
        assertEquals(2, out.size(), ls::toString);
        assertTrue(
                out.stream().anyMatch(l -> l.startsWith("-rw-r----- ") && l.endsWith("  f") && l.contains(" 5242880")),
                ls::toString);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("drwxr-xr-x ") && l.endsWith("  sub/")), ls::toString);

        // the root lists exactly the log's top-level entries
        TestLog log = log();
        List<String> top = log.entries.stream()
                .map(TestLog.Entry::path)
                .filter(p -> !p.contains("/"))
                .sorted()
                .toList();
        List<String> listed = lines(local("ls")).stream()
                .map(l -> l.substring(l.lastIndexOf("  ") + 2).replaceAll("/$", ""))
                .sorted()
                .toList();
        assertEquals(top, listed);

        cli("stat", "ls-dir/f")
                .assertOk(
                        "path:     ls-dir/f",
                        "type:     file",
                        "size:     5242880",
                        "mode:     0640  uid 7  gid 8",
                        "index:    " + log.get("ls-dir/f").index());
        cli("stat", "ls-dir/sub")
                .assertOk(
                        "type:     directory",
                        "index:    " + log.get("ls-dir/sub").index());
        cli("stat", "/").assertOk("path:     /", "type:     directory", "- (the root)");
        cli("stat", "ls-missing").assertError(ExitCodes.NOT_FOUND, "ls-missing");
        cli("ls", "ls-missing").assertError(ExitCodes.NOT_FOUND, "ls-missing");
        cli("ls", "ls-dir/f").assertError(ExitCodes.USAGE, "not a directory");
    }

    @Test
    void getmapFromTheLeaderAndFromTheDevice() {
        cli("creat", "-s", "7m", "gm-contig").assertOk();
        cli("creat", "-s", "16m", "-B", "8", "-N", "8", "-C", "2m", "gm-striped")
                .assertOk();
        cli("mkdir", "gm-dir").assertOk();
        TestLog log = log();
        for (String path : List.of("gm-contig", "gm-striped")) {
            TestLog.Entry e = log.get(path);
            Cli.Run fromLeader = cli("getmap", path).assertOk("path:     " + path, "size:     " + e.size());
            Cli.Run fromDevice = Cli.run("getmap", "--device", dev.path().toString(), path)
                    .assertOk("path:     " + path, "size:     " + e.size(), "index:    " + e.index());
            assertTrue(lines(fromLeader).containsAll(mapLines(e)), fromLeader::toString);
            assertTrue(lines(fromDevice).containsAll(mapLines(e)), fromDevice::toString);
        }
        cli("getmap", "gm-missing").assertError(ExitCodes.NOT_FOUND, "gm-missing");
        cli("getmap", "gm-dir").assertError(ExitCodes.USAGE, "directory");
        Cli.run("getmap", "--device", dev.path().toString(), "gm-missing")
                .assertError(ExitCodes.NOT_FOUND, "gm-missing");
    }

    @Test
    void usageMatchesTheLog() {
        cli("creat", "-s", "1", "usage-file").assertOk();
        TestLog log = log();
        Cli.Run usage = cli("usage")
                .assertOk(
                        "log entries:     " + log.nextIndex + " of " + (log.logLen - 48) / TestLog.ENTRY + " used",
                        "files:           " + log.files().size() + "   directories: "
                                + (log.entries.size() - log.files().size()),
                        "device:          " + log.devSize + " bytes");
        long sizes = log.files().stream().mapToLong(TestLog.Entry::size).sum();
        assertTrue(usage.out().contains("sum of files:    " + sizes + " bytes"), usage::toString);
        assertEquals(usage.out(), local("usage").assertOk().out(), "the same through the state folder");
    }

    @Test
    void theStateFolderNamesTheLeaderAndItsToken() throws IOException {
        assertTrue(Files.isRegularFile(leader.stateDir().resolve("leader.json")));
        local("creat", "-s", "1", "state-file").assertOk("created", "path:     state-file");
        assertNotNull(log().get("state-file"));
        local("mkdir", "state-dir").assertOk("created: state-dir");
        local("stat", "state-file").assertOk("type:     file");

        // an empty state folder: no address (11); an address but no token (12)
        Path empty = Files.createDirectories(dev.dir().resolve("empty-state"));
        Cli.run("usage", "--state-dir", empty.toString()).assertError(ExitCodes.UNAVAILABLE, "leader.json");
        Files.copy(leader.stateDir().resolve("leader.json"), empty.resolve("leader.json"));
        Cli.run("usage", "--state-dir", empty.toString()).assertError(ExitCodes.UNAUTHENTICATED, "token");
    }

    @Test
    void unreachableLeaderAndWrongToken() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closed;
        for (String[] command : List.of(
                new String[] {"creat", "-s", "1", "x"},
                new String[] {"mkdir", "x"},
                new String[] {"ls"},
                new String[] {"stat", "x"},
                new String[] {"getmap", "x"},
                new String[] {"usage"})) {
            List<String> args = new ArrayList<>(List.of(command[0], "--leader", nowhere, "--token", "t"));
            args.addAll(Arrays.asList(command).subList(1, command.length));
            Cli.run(args.toArray(String[]::new)).assertError(ExitCodes.UNAVAILABLE, "cannot reach the leader");

            List<String> wrong = new ArrayList<>(List.of(command[0], "--leader", leader.restUrl(), "--token", "nope"));
            wrong.addAll(Arrays.asList(command).subList(1, command.length));
            Cli.run(wrong.toArray(String[]::new)).assertError(ExitCodes.UNAUTHENTICATED, "token");
        }
        assertNull(log().get("x"), "nothing was created with a wrong token");
        Cli.run("usage", "--leader", "ftp://127.0.0.1:1", "--token", "t").assertError(ExitCodes.USAGE, "http://");
    }
}
