package dev.medic.discover;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a program was learnt to accept: its flags with their defaults, flag prefixes it accepts
 * whole (LightningCLI's {@code --trainer.}), and whether it takes Hydra {@code ++key=value}
 * overrides (with the keys its config was read to have). Empty, with {@link #why()}, when nothing
 * was learnt: fixes then add nothing, as before discovery.
 *
 * @param script  the entry script (absolute), or null when none was found
 * @param method  {@code source} or {@code help}; null when nothing was learnt
 * @param flags   every option string declared, exactly as declared
 * @param why     why nothing (or not more) was learnt; null when it was
 */
public record ProgramFlags(String script, String method, Map<String, Flag> flags, List<String> prefixes,
                           boolean hydra, Map<String, String> hydraKeys, String why) {

    /** One option string: its default as the source or help text writes it (null: none known) and where it was learnt. */
    public record Flag(String name, String defaultValue, String type, String learntFrom) {
    }

    /** The reason when discovery is off: fixes then say what they said before discovery. */
    public static final String OFF = "flag discovery is off";

    public ProgramFlags {
        flags = Map.copyOf(new TreeMap<>(flags));
        prefixes = List.copyOf(prefixes);
        hydraKeys = Map.copyOf(hydraKeys);
    }

    public static ProgramFlags none(String why) {
        return none(null, why);
    }

    /** Nothing learnt of {@code script}: kept like a result, so a resumed run does not probe it again. */
    public static ProgramFlags none(String script, String why) {
        return new ProgramFlags(script, null, Map.of(), List.of(), false, Map.of(), why);
    }

    public boolean discovered() {
        return method != null && (!flags.isEmpty() || !prefixes.isEmpty() || hydra);
    }

    /** Whether the program accepts {@code flag} as declared (a prefix it accepts whole counts; abbreviations do not). */
    public boolean accepts(String flag) {
        return flags.containsKey(flag) || prefixes.stream().anyMatch(flag::startsWith);
    }

    public Flag flag(String name) {
        return flags.get(name);
    }

    /** The first of {@code names} the program accepts, in their order; null if none. */
    public String firstAccepted(List<String> names) {
        for (String n : names) {
            if (accepts(n)) {
                return n;
            }
        }
        return null;
    }

    /** Where {@code flag} was learnt, for change lines ("its argparse source"). */
    public String learntFrom(String flag) {
        Flag f = flags.get(flag);
        if (f != null) {
            return f.learntFrom();
        }
        return "help".equals(method) ? "its --help output" : "its source";
    }

    /** " (why)" to append to a fix's "cannot" reason; empty when discovery is off. */
    public String whyNotNote() {
        return OFF.equals(why) && method == null ? "" : " (" + whyNot() + ")";
    }

    /** Why a fix found nothing to add: what was or was not learnt, for its "cannot" reason. */
    public String whyNot() {
        if (!discovered()) {
            return why == null ? "nothing learnt of the program" : why;
        }
        return "the program's " + method + " shows no such flag with a default" + (why == null ? "" : "; " + why);
    }

    /** The number of flags and Hydra keys learnt (the journal's count). */
    public int count() {
        return flags.size() + hydraKeys.size();
    }
}
