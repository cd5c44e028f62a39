package dev.medic.fix;

import dev.medic.discover.ProgramFlags;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A flag (or a Hydra key) the program was learnt to accept, with the default it was declared
 * with: what a fix may add when the command does not give it. Only flags from the catalog's
 * spellings are taken, in the catalog's order, and only with a default of the wanted shape.
 *
 * @param flag       the flag as declared ({@code --batch-size}); for Hydra the override prefix and key ({@code ++data.batch_size})
 * @param value      its default
 * @param learntFrom where it was learnt ("its argparse source")
 */
record DiscoveredFlag(String flag, String value, String learntFrom, boolean hydra) {

    /** The first of {@code flags} (then a Hydra key ending in one of {@code keys}) with a default that {@code shape} matches. */
    static DiscoveredFlag find(ProgramFlags program, List<String> flags, Collection<String> keys, Pattern shape) {
        for (String f : flags) {
            ProgramFlags.Flag declared = program.flag(f);
            if (declared != null && declared.defaultValue() != null && shape.matcher(declared.defaultValue()).matches()) {
                return new DiscoveredFlag(f, declared.defaultValue(), declared.learntFrom(), false);
            }
        }
        if (program.hydra()) {
            for (Map.Entry<String, String> e : program.hydraKeys().entrySet()) {
                String last = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                if (keys.contains(last) && shape.matcher(e.getValue()).matches()) {
                    return new DiscoveredFlag("++" + e.getKey(), e.getValue(), "its Hydra config", true);
                }
            }
        }
        return null;
    }

    /** The arguments that give this flag {@code v}: {@code --flag v}, or {@code ++key=v}. */
    List<String> args(String v) {
        return hydra ? List.of(flag + "=" + v) : List.of(flag, v);
    }

    /** {@code --batch-size 32 added (the program's default is 64, learnt from its argparse source)}. */
    String added(String v, String note) {
        return String.join(" ", args(v)) + " added (the program's default is " + value + ", learnt from " + learntFrom
                + (note == null ? "" : "; " + note) + ")";
    }
}
