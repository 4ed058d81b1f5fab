package io.famfs.meta.leader.cli;

import picocli.CommandLine;

/** A mode given in octal, as chmod takes it ({@code 644} or {@code 0644}). */
final class Octal implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        try {
            return Integer.parseUnsignedInt(value.startsWith("0o") ? value.substring(2) : value, 8);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not an octal mode: '" + value + "' (e.g. 0644)");
        }
    }
}
