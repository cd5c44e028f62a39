package dev.medic.discover;

import dev.medic.facts.RunSpec;

/** Where fixes learn which flags a spec's program accepts. */
@FunctionalInterface
public interface FlagSource {
    /** Discovery turned off (--no-discover), or nothing to discover with (a replay). */
    FlagSource OFF = spec -> ProgramFlags.none(ProgramFlags.OFF);

    ProgramFlags flagsFor(RunSpec spec);
}
