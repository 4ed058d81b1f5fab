package io.famfs.meta.bench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void defaultsAreWhatTheHelpSays() {
        AgentOptions o = AgentOptions.parse(new String[0]);
        assertEquals(5, o.runs());
        assertEquals(60.0, o.warmupSeconds());
        assertEquals(250_000, o.warmupCreates());
        assertEquals(20_000, o.creates());
        assertEquals(10, o.fullLoadSample());
        assertEquals(100_000, o.fmapCalls());
        assertEquals(512L << 20, o.logLen());
        assertEquals(Path.of("/dev/shm"), o.base());
        assertEquals(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"), o.leaderJvmOptions());
        assertEquals(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"), o.agentJvmOptions());
        assertEquals(List.of(), o.only());
    }

    @Test
    void quickIsASmokeRunThatLaterOptionsOverride() {
        AgentOptions q = AgentOptions.parse(new String[] {"--quick"});
        assertEquals(1, q.runs());
        assertEquals(2_000, q.creates());
        assertEquals(10_000, q.fmapCalls());
        assertEquals(64L << 20, q.logLen());
        assertEquals(List.of(), q.leaderJvmOptions());
        assertEquals(List.of(), q.agentJvmOptions());

        AgentOptions o = AgentOptions.parse(
                new String[] {"--agent-jvm-opts", " -Xmx1g  -Xss1m ", "--quick", "--runs", "3", "--only", "getfmap,,"});
        assertEquals(3, o.runs());
        assertEquals(List.of("-Xmx1g", "-Xss1m"), o.agentJvmOptions());
        assertEquals(List.of("getfmap"), o.only());
    }

    @Test
    void sizesTakeSuffixes() {
        AgentOptions o =
                AgentOptions.parse(new String[] {"--log-len", "1g", "--file-size", "8k", "--device-size", "2t"});
        assertEquals(1L << 30, o.logLen());
        assertEquals(8192, o.fileSize());
        assertEquals(2L << 40, o.deviceSize());
    }

    @Test
    void helpIsNull() {
        assertNull(AgentOptions.parse(new String[] {"--runs", "2", "--help"}));
        assertNull(AgentOptions.parse(new String[] {"-h"}));
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertRefused("unknown option --bogus; see --help", "--bogus", "1");
        assertRefused("--runs needs a value (or is unknown); see --help", "--runs");
        assertRefused("--runs must be above 0: 0", "--runs", "0");
        assertRefused("--creates needs a number: many", "--creates", "many");
        assertRefused("--warmup-seconds must be above 0: -1", "--warmup-seconds", "-1");
        assertRefused("--log-len needs a number: 12q", "--log-len", "12q");
        assertRefused("--runs is too large: 3000000000", "--runs", "3000000000");
        assertRefused("--full-load-sample must be above 0: 0", "--full-load-sample", "0");
    }

    @Test
    void scenariosAreChosenByIdInTheTablesOrder() {
        assertEquals(AgentLoad.ALL, AgentLoad.select(List.of()));
        assertEquals(
                List.of("spin-2000", "getfmap"),
                AgentLoad.select(List.of("getfmap", "spin-2000", "getfmap")).stream()
                        .map(AgentLoad.Scenario::id)
                        .toList());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AgentLoad.select(List.of("spin-9000")));
        assertEquals("no scenario spin-9000; see --help", e.getMessage());
    }

    private static void assertRefused(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(args));
        assertEquals(message, e.getMessage());
    }
}
