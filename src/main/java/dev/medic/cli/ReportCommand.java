package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.MedicException;
import dev.medic.report.HtmlReport;
import dev.medic.report.ReportData;
import dev.medic.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Writes one self-contained HTML report (no scripts, nothing fetched; charts as inline SVG) over the journals of past runs and sweeps:",
        "outcomes, hours per failure, how each fix did, and per run its attempts, fixes, evidence and loss curves."})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    RunDirs dirs;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only runs started within this long (e.g. 7d, 12h); default every run.")
    Duration since;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "medic-report.html",
            description = "Where the HTML report goes (default: ${DEFAULT-VALUE} in the current folder).")
    Path out;

    @Option(names = "--json", description = "Print the aggregates as one JSON object instead of writing HTML.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dirs.runDir) && !Files.isDirectory(dirs.sweepDir)) {
            throw MedicException.badInput("no run folder " + dirs.runDir + " and no sweep folder " + dirs.sweepDir);
        }
        Instant now = Instant.now();
        ReportData data = ReportData.read(dirs.runDir, dirs.sweepDir, since == null ? null : now.minus(since), now);
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(ReportJson.of(data)));
            return 0;
        }
        if (Files.isDirectory(out)) {
            throw MedicException.badInput("--out " + out + " is a folder");
        }
        Path parent = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, ".medic-report", ".tmp");
        try {
            Files.writeString(tmp, HtmlReport.render(data), StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        System.err.println("medic: report of " + data.runs().size() + " run(s) and " + data.sweeps().size() + " sweep(s) written to " + out);
        return 0;
    }
}
