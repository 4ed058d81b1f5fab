package io.famfs.meta.cli;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.util.Locale;
import picocli.CommandLine;

/** Byte sizes on the command line: a count with an optional binary suffix (k, m, g, t; "8m" = 8 MiB), as famfs. */
public final class Sizes implements CommandLine.ITypeConverter<Long> {

    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b") && s.length() > 1 && Character.isLetter(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT, "not a size: '" + text + "' (use bytes or a k/m/g/t suffix, e.g. 8m)");
        }
    }

    @Override
    public Long convert(String value) {
        try {
            return parse(value);
        } catch (FamfsException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
