package dev.medic.cli;

import dev.medic.util.ByteSizes;
import picocli.CommandLine;

/** Sizes such as {@code 500M} or {@code 2G} on the command line; a bad one is a one-line usage error. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
