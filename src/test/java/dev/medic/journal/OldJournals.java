package dev.medic.journal;

import dev.medic.Fixtures;

import java.nio.file.Path;

/** The journals under src/test/resources/journals, written by medic before this package (see the README there). */
public final class OldJournals {
    private OldJournals() {
    }

    public static Path journal(String name) {
        return Fixtures.projectDir().resolve("src/test/resources/journals").resolve(name + ".jsonl");
    }

    public static Path printed(String name, String what) {
        return Fixtures.projectDir().resolve("src/test/resources/journals").resolve(name + "." + what + ".txt");
    }
}
