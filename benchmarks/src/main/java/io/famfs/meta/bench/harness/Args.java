package io.famfs.meta.bench.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The load generators' option values: each malformed one is an IllegalArgumentException naming the option. */
public final class Args {
    private Args() {}

    public static int positiveInt(String name, String v) {
        long n = positiveLong(name, v);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is too large: " + v);
        }
        return (int) n;
    }

    public static long positiveLong(String name, String v) {
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be above 0: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number: " + v);
        }
    }

    public static double seconds(String name, String v) {
        try {
            double s = Double.parseDouble(v);
            if (!(s > 0)) {
                throw new IllegalArgumentException(name + " must be above 0: " + v);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number of seconds: " + v);
        }
    }

    /** A size with an optional k, m, g or t suffix (powers of 1024). */
    public static long size(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> {}
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        return positiveLong(name, digits) << shift;
    }

    /** JVM options separated by white space ("" for none). */
    public static List<String> jvmOptions(String v) {
        return Arrays.stream(v.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** A comma-separated list, without empty items. */
    public static List<String> list(String v) {
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
