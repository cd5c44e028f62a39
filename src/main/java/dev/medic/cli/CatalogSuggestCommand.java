package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.logs.Redactor;
import dev.medic.triage.CatalogDraft;
import dev.medic.triage.ErrorLine;
import dev.medic.triage.MaskedLine;
import dev.medic.triage.PatternText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "suggest", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description =
        "Prints a catalog entry drafted from a log's last exception line (else its last error line, else its last line), "
                + "with numbers, paths, ids and quoted values masked. The output is a catalog file: save it in catalog/ and "
                + "run medic check. Only the last " + (ErrorLine.TAIL_BYTES >> 20) + " MiB of the log is read.")
final class CatalogSuggestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LOG", description = "The log file.")
    Path log;

    @Option(names = "--catalog", paramLabel = "DIR", description = "The catalog whose ids the draft avoids (else MEDIC_CATALOG, catalog/ beside bin/medic, the bundled one).")
    Path catalog;

    @Override
    public Integer call() {
        ErrorLine line = lastErrorLine();
        // the log is the run's own output, but what medic prints of it is medic's: no secrets
        String text = MaskedLine.cap(Redactor.fromEnvironments(System.getenv()).redact(line.text()));
        MaskedLine masked = MaskedLine.of(text);
        List<String> why = line.kind() == ErrorLine.Kind.LAST
                ? List.of("no line of the log looked like an error: this is its last line, and a pattern on it may match healthy output")
                : List.of();
        CatalogDraft draft = CatalogDraft.forLine(masked, List.of(text), DraftIds.inUse(catalog), why);
        String problem = draft.check(List.of(text));
        System.out.println("# " + line.kind().label() + ": " + PatternText.printable(text));
        System.out.println("# signature: " + PatternText.printable(masked.text()));
        if (problem != null) {
            System.out.println("# the draft failed medic's own check: " + PatternText.printable(problem));
        }
        System.out.print(draft.yaml());
        return 0;
    }

    private ErrorLine lastErrorLine() {
        if (Files.isDirectory(log)) {
            throw MedicException.badInput(log + " is a folder, not a log file");
        }
        if (!Files.isRegularFile(log)) {
            throw MedicException.badInput(log + (Files.exists(log) ? ": not a regular file" : ": no such file"));
        }
        ErrorLine line;
        try (InputStream in = Files.newInputStream(log)) {
            line = ErrorLine.pick(ErrorLine.tailLines(in, Files.size(log)));
        } catch (IOException e) {
            throw MedicException.badInput("cannot read " + log + ": " + e.getMessage());
        }
        if (line == null) {
            throw MedicException.badInput(log + ": no line to draft from (the log is empty or blank)");
        }
        return line;
    }
}
