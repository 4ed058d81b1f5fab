package io.famfs.meta.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Runs the famfs-meta launcher in process, capturing its output. */
public final class Cli {
    private Cli() {}

    private static final Pattern EXCEPTION_NAME = Pattern.compile("Exception|\\b[A-Z][A-Za-z0-9]*Error\\b");

    /** What one run did. */
    public record Run(List<String> args, int exit, String out, String err) {
        /** stderr's lines (without the final newline). */
        public List<String> errLines() {
            if (err.isEmpty()) {
                return List.of();
            }
            String text = err.endsWith("\n") ? err.substring(0, err.length() - 1) : err;
            return List.of(text.split("\n", -1));
        }

        @Override
        public String toString() {
            return "famfs-meta " + String.join(" ", args) + " -> exit " + exit + "\n--- stdout:\n" + out
                    + "--- stderr:\n" + err;
        }

        /** Asserts the exit code and that stdout holds every one of {@code texts}. */
        public Run assertOk(String... texts) {
            assertEquals(0, exit, this::toString);
            for (String t : texts) {
                assertTrue(out.contains(t), () -> "stdout lacks '" + t + "' in\n" + this);
            }
            return this;
        }

        /**
         * Asserts an error as the README promises it: the exit code, exactly one line on stderr that contains every one
         * of {@code texts}, and no stack trace or exception class name.
         */
        public Run assertError(int expectedExit, String... texts) {
            assertEquals(expectedExit, exit, this::toString);
            assertEquals(1, errLines().size(), () -> "expected exactly one line on stderr:\n" + this);
            assertTrue(err.endsWith("\n"), this::toString);
            assertFalse(err.contains("\tat "), () -> "stack trace on stderr:\n" + this);
            assertFalse(EXCEPTION_NAME.matcher(err).find(), () -> "exception class name on stderr:\n" + this);
            for (String t : texts) {
                assertTrue(err.contains(t), () -> "stderr lacks '" + t + "' in\n" + this);
            }
            return this;
        }
    }

    public static Run run(String... args) {
        return runWithEnv(Map.of(), args);
    }

    /** A run that sees only {@code env} as its environment (for the FAMFS_* configuration layer). */
    public static Run runWithEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FamfsMeta.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(Arrays.asList(args), exit, out.toString(), err.toString());
    }
}
