package dev.medic.cli;

import dev.medic.supervise.Preload;
import dev.medic.util.SourceLocation;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * Begins loading, in the background, the catalog and rules that {@code medic run ARGS} names,
     * before picocli has parsed its options (that takes a tenth of a second on its own): the flags
     * are read as picocli will read them, else the config file's values. A guess that turns out
     * wrong costs only the work; the run loads what the parsed options name.
     */
    static void preloadForRun(List<String> args, ConfigFile config) {
        Path catalogFlag = null;
        Path rulesFlag = null;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return;
            }
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (a.equals("--catalog") && next != null) {
                catalogFlag = Path.of(next);
            } else if (a.startsWith("--catalog=")) {
                catalogFlag = Path.of(a.substring("--catalog=".length()));
            } else if (a.equals("--rules") && next != null) {
                rulesFlag = Path.of(next);
            } else if (a.startsWith("--rules=")) {
                rulesFlag = Path.of(a.substring("--rules=".length()));
            }
        }
        try {
            if (catalogFlag == null && config.value("catalog") != null) {
                catalogFlag = Path.of(config.value("catalog"));
            }
            if (rulesFlag == null && config.value("rules") != null) {
                rulesFlag = Path.of(config.value("rules"));
            }
            Preload.start(SourceLocation.find("catalog", ".yaml", catalogFlag, System.getenv(), home()),
                    SourceLocation.find("rules", ".drl", rulesFlag, System.getenv(), home()));
        } catch (RuntimeException e) {
            // a folder that is not there: the parsed options will say so
        }
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
