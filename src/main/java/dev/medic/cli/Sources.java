package dev.medic.cli;

import dev.medic.util.SourceLocation;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The --rules and --catalog options, shared by every command that loads them. */
final class Sources {
    @Option(names = "--rules", paramLabel = "DIR", description = "Folder of *.drl rule files (else MEDIC_RULES, rules/ beside bin/medic, the bundled set).")
    Path rules;

    @Option(names = "--catalog", paramLabel = "DIR", description = "Folder of catalog *.yaml files (else MEDIC_CATALOG, catalog/ beside bin/medic, the bundled set).")
    Path catalog;

    SourceLocation rulesLocation() {
        return SourceLocation.find("rules", ".drl", rules, System.getenv(), home());
    }

    SourceLocation catalogLocation() {
        return SourceLocation.find("catalog", ".yaml", catalog, System.getenv(), home());
    }

    /** medic's installation folder, as bin/medic passes it; null when run from a bare jar. */
    static Path home() {
        String h = System.getProperty("medic.home");
        if (h == null || h.isBlank()) {
            return null;
        }
        Path p = Path.of(h);
        return Files.isDirectory(p) ? p : null;
    }
}
