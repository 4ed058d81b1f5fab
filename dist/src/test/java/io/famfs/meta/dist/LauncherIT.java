package io.famfs.meta.dist;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.cli.Cli.Run;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real ./famfs-meta launcher, run as a user runs it: a bash script that picks a JDK 25 and runs the jars listed in
 * dist/target/classpath.txt. Failsafe runs this after package, so the jars are fresh and the script must not build.
 */
class LauncherIT {
    private static final long TIMEOUT_SECONDS = 120;
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    private Path work;

    @BeforeEach
    void makeWorkFolder() throws IOException {
        work = Files.createTempDirectory(Path.of("/dev/shm"), "famfs-meta-it-");
    }

    @AfterEach
    void removeWorkFolder() throws IOException {
        try (Stream<Path> walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path root() {
        String prop = System.getProperty("famfs.root");
        assertNotNull(prop, "system property famfs.root is not set (the parent pom sets it)");
        Path root = Path.of(prop).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(root.resolve("famfs-meta")), "no executable launcher at " + root);
        return root;
    }

    private Run famfsMeta(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root().resolve("famfs-meta").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile());
        pb.environment().remove("FAMFS_META_DEBUG");
        pb.environment().putAll(env);
        File out = Files.createTempFile(work, "out", ".txt").toFile();
        File err = Files.createTempFile(work, "err", ".txt").toFile();
        pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("./famfs-meta " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        Run run = new Run(List.of(args), p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        assertFalse(run.err().toLowerCase().contains("building"), () -> "the launcher rebuilt the jars:\n" + run);
        return run;
    }

    private Run famfsMeta(String... args) throws IOException, InterruptedException {
        return famfsMeta(Map.of(), args);
    }

    @Test
    void helpListsEveryCommandUnderItsModule() throws Exception {
        Run run = famfsMeta("--help");
        assertEquals(0, run.exit(), run::toString);
        String out = run.out();
        int device = out.indexOf("Device commands (log-replayer)");
        int leader = out.indexOf("Leader commands (metadata-service)");
        assertTrue(device >= 0, run::toString);
        assertTrue(leader > device, run::toString);
        for (String command : List.of("mkfs", "fsck", "logplay", "dump")) {
            int at = out.indexOf("\n  " + command + " ", device);
            assertTrue(at > device && at < leader, () -> command + " is not under Device commands:\n" + run);
        }
        int agent = out.indexOf("Agent commands and the demo (client-agent)");
        assertTrue(agent > leader, run::toString);
        for (String command : List.of("leader", "creat", "mkdir", "ls", "stat", "getmap", "usage")) {
            int at = out.indexOf("\n  " + command + " ", leader);
            assertTrue(at > leader && at < agent, () -> command + " is not under Leader commands:\n" + run);
        }
        for (String command : List.of("demo", "agent")) {
            assertTrue(
                    out.indexOf("\n  " + command + " ", agent) > agent,
                    () -> command + " is not under Agent commands:\n" + run);
        }
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void demoThenFsckOfItsDevice() throws Exception {
        Path dir = work.resolve("demo");
        Path device = dir.resolve("dax0.img");
        Run demo = famfsMeta(
                "demo",
                "--dir",
                dir.toString(),
                "--rest-port",
                "0",
                "--grpc-port",
                "0",
                "--agent-ports",
                "0,0",
                "--no-wait");
        assertEquals(0, demo.exit(), demo::toString);
        assertTrue(demo.out().contains("made an emulated device: " + device), demo::toString);
        assertTrue(Files.isRegularFile(device), demo::toString);
        assertEquals(8L << 30, Files.size(device));

        Run fsck = famfsMeta("fsck", "--device", device.toString());
        assertEquals(0, fsck.exit(), fsck::toString);
        assertTrue(fsck.out().contains("14 of 15420 entries used"), fsck::toString);
        assertEquals("", fsck.err(), fsck::toString);
    }

    @Test
    void theDemoServesUntilCtrlCAndTheCliTalksToIt() throws Exception {
        Path dir = work.resolve("served");
        Path state = dir.resolve("state");
        File out = work.resolve("demo-out.txt").toFile();
        Process demo = new ProcessBuilder(
                        root().resolve("famfs-meta").toString(),
                        "demo",
                        "--dir",
                        dir.toString(),
                        "--rest-port",
                        "0",
                        "--grpc-port",
                        "0",
                        "--agent-ports",
                        "0,0")
                .redirectErrorStream(true)
                .redirectOutput(out)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!Files.readString(out.toPath()).contains("The leader and the agents serve until Ctrl-C")) {
                assertTrue(demo.isAlive(), () -> "the demo ended early:\n" + read(out));
                assertTrue(System.nanoTime() < deadline, () -> "the demo did not come up:\n" + read(out));
                Thread.sleep(100);
            }
            Run ls = famfsMeta("ls", "models/llama", "--state-dir", state.toString());
            assertEquals(0, ls.exit(), ls::toString);
            assertTrue(ls.out().contains("weights.bin") && ls.out().contains("config.json"), ls::toString);
            Run creat = famfsMeta("creat", "notes.txt", "--size", "1m", "--state-dir", state.toString());
            assertEquals(0, creat.exit(), creat::toString);
            assertTrue(creat.out().startsWith("created\n"), creat::toString);

            // Ctrl-C: the leader stops gracefully and takes its address file with it
            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), () -> "the demo ignored Ctrl-C:\n" + read(out));
            assertEquals(130, demo.exitValue(), () -> read(out));
            assertTrue(read(out).contains("stopping the agents and the leader"), () -> read(out));
            assertFalse(Files.exists(state.resolve("leader.json")));
        } finally {
            demo.destroyForcibly().waitFor();
        }
        Run fsck = famfsMeta("fsck", "--device", dir.resolve("dax0.img").toString());
        assertEquals(0, fsck.exit(), fsck::toString);
        assertTrue(fsck.out().contains("15 of 15420 entries used"), fsck::toString);
        Run gone = famfsMeta("ls", "--state-dir", state.toString());
        assertEquals(11, gone.exit(), gone::toString);
        assertTrue(gone.err().contains("no leader address"), gone::toString);
    }

    private static String read(File f) {
        try {
            return Files.readString(f.toPath());
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    @Test
    void aMissingDeviceExits7WithOneLine() throws Exception {
        Path missing = work.resolve("no-such-device");
        Run run = famfsMeta("fsck", "--device", missing.toString());
        assertEquals(7, run.exit(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains(missing.toString()), run::toString);
        assertFalse(run.err().contains("\tat "), run::toString);
        assertFalse(run.err().contains("Exception"), run::toString);
        assertEquals("", run.out(), run::toString);
    }

    @Test
    void anOldJavaHomeIsPassedOverNotRun() throws Exception {
        // a stand-in JDK 11 whose java answers -version but fails any real run: the launcher must only ask its version
        Path fake = work.resolve("fake-jdk-11");
        Files.createDirectories(fake.resolve("bin"));
        Path java = fake.resolve("bin/java");
        Files.writeString(
                java,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = -version ]; then echo 'openjdk version \"11.0.2\" 2019-01-15' >&2; exit 0; fi\n"
                        + "echo 'fake JDK 11 was run' >&2; exit 99\n");
        Files.writeString(fake.resolve("bin/javac"), "#!/bin/sh\nexit 99\n");
        for (Path p : List.of(java, fake.resolve("bin/javac"))) {
            assertTrue(p.toFile().setExecutable(true));
        }
        Run run = famfsMeta(Map.of("JAVA_HOME", fake.toString()), "--version");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("famfs format version 48"), run::toString);
        assertFalse(run.err().contains("fake JDK 11"), run::toString);
    }

    @Test
    void aJdk17JavaHomeStillRunsOnJdk25() throws Exception {
        assertTrue(
                Files.isExecutable(JDK17.resolve("bin/java")),
                "this test needs a JDK 17 at " + JDK17 + " (the CI image has one)");
        Run version = famfsMeta(Map.of("JAVA_HOME", JDK17.toString()), "--version");
        assertEquals(0, version.exit(), version::toString);
        assertTrue(version.out().contains("famfs format version 48"), version::toString);

        Path dir = work.resolve("demo17");
        Run demo = famfsMeta(
                Map.of("JAVA_HOME", JDK17.toString()),
                "demo",
                "--dir",
                dir.toString(),
                "--rest-port",
                "0",
                "--grpc-port",
                "0",
                "--no-wait");
        assertEquals(0, demo.exit(), demo::toString);
        assertTrue(demo.out().contains("made an emulated device: " + dir.resolve("dax0.img")), demo::toString);
    }
}
