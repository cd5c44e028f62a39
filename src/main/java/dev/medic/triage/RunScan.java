package dev.medic.triage;

import dev.medic.MedicException;
import dev.medic.journal.Event;
import dev.medic.journal.JournalReader;
import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;
import dev.medic.logs.Ansi;
import dev.medic.logs.Redactor;
import dev.medic.supervise.FolderMark;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the run folders under a run folder and the trials of the sweeps under a sweep folder, and
 * returns every attempt triage groups: of a run that ended {@link #ENDED failed or escalated}, each
 * attempt whose root failure is one of {@link #FAILURES} (an unknown failure retried once and then
 * escalated is two attempts of one run). A run that succeeded had its failures fixed by the ladder;
 * one that is live, was interrupted or lost its supervisor did not end on its own failure. Only
 * folders that carry medic's mark ({@link FolderMark}) are read; symbolic links are not followed.
 * What cannot be read (a damaged journal line, a log that is a link) is skipped and said to
 * {@code warn}.
 */
public final class RunScan {
    /** The failures that mean "the catalog has no name for this": what triage is for. */
    public static final Set<String> FAILURES = Set.of("unknown", "killed", "code_bug");
    /** The run statuses whose runs triage reads. */
    public static final Set<RunStatus> ENDED = Set.of(RunStatus.FAILED, RunStatus.ESCALATED);

    private final Redactor redactor;
    private final Consumer<String> warn;
    private int runs;

    /** What a scan found: the occurrences, and how many run folders it read. */
    public record Result(List<Occurrence> occurrences, int runs) {
    }

    private RunScan(Redactor redactor, Consumer<String> warn) {
        this.redactor = redactor;
        this.warn = warn;
    }

    /** Scans {@code runDir} and the trials under {@code sweepDir} (either may be missing). */
    public static Result scan(Path runDir, Path sweepDir, Redactor redactor, Consumer<String> warn) throws IOException {
        RunScan s = new RunScan(redactor, warn);
        List<Occurrence> out = new ArrayList<>();
        for (Path run : folders(runDir)) {
            out.addAll(s.run(run, run.getFileName().toString()));
        }
        for (Path sweep : folders(sweepDir)) {
            for (Path trial : folders(sweep.resolve("trials"))) {
                out.addAll(s.run(trial, sweep.getFileName() + "/" + trial.getFileName()));
            }
        }
        return new Result(out, s.runs);
    }

    private List<Occurrence> run(Path dir, String label) throws IOException {
        Path journal = dir.resolve("journal.jsonl");
        if (!Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        String notOurs = FolderMark.notARun(dir);
        if (notOurs != null) {
            warn.accept(dir + ": skipped: not a medic run folder (" + notOurs + ")");
            return List.of();
        }
        runs++;
        RunHistory run = RunHistory.of(JournalReader.read(journal,
                n -> warn.accept(journal + ": line " + n + " is not a JSON record; skipped")));
        if (!ENDED.contains(run.status(RunStatus.DEAD))) {
            return List.of();
        }
        List<Occurrence> out = new ArrayList<>();
        for (Map.Entry<Integer, Event.Failure> e : new TreeMap<>(run.roots()).entrySet()) {
            int attempt = e.getKey();
            Event.Failure failure = e.getValue();
            if (!FAILURES.contains(failure.failure())) {
                continue;
            }
            Event.AttemptFinished end = run.ends().get(attempt);
            Occurrence.Exit exit = new Occurrence.Exit(end == null ? null : end.exitCode(), end == null ? null : end.signal());
            ErrorLine line = errorLine(dir, attempt, failure);
            if (line == null) {
                line = new ErrorLine("(no output) " + exit.describe(), ErrorLine.Kind.NO_OUTPUT);
            }
            MaskedLine masked = line.kind() == ErrorLine.Kind.NO_OUTPUT ? MaskedLine.of("") : MaskedLine.of(line.text());
            out.add(new Occurrence(label, attempt, failure.failure(), failure.ts(), line, exit, masked));
        }
        return out;
    }

    /**
     * The failure's last evidence line from the log, when the journal holds it; else the best line
     * of the attempt's log. The journal keeps the first 20 evidence lines only: when more matched,
     * the last one is not among them, and the log is read instead.
     */
    private ErrorLine errorLine(Path dir, int attempt, Event.Failure failure) {
        Event.Evidence last = null;
        int stored = 0;
        for (Event.Evidence ev : failure.evidence()) {
            if (!"status".equals(ev.stream()) && ev.line() > 0 && ev.text() != null && !ev.text().isBlank()) {
                last = ev;
                stored++;
            }
        }
        ErrorLine fromLog = null;
        if (last == null || failure.matches() > stored) {
            fromLog = fromLog(dir, attempt);
        }
        if (fromLog != null) {
            return fromLog;
        }
        return last == null ? null : new ErrorLine(clean(last.text()), ErrorLine.Kind.EVIDENCE);
    }

    /** The best line of {@code attempt-N.log}, read without following a link; null when there is none. */
    private ErrorLine fromLog(Path dir, int attempt) {
        Path log = dir.resolve("attempt-" + attempt + ".log");
        try (InputStream in = PrivateFolder.of(dir, PrivateFolder.RUN_FOLDER).read(log)) {
            long size = Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            ErrorLine picked = ErrorLine.pick(ErrorLine.tailLines(in, size));
            return picked == null ? null : new ErrorLine(clean(picked.text()), picked.kind());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | MedicException e) {
            warn.accept(log + ": not read (" + e.getMessage() + ")");
            return null;
        }
    }

    /** A line as triage shows and masks it: secrets masked, terminal controls removed, trimmed, cut to {@link MaskedLine#MAX_LINE}. */
    private String clean(String text) {
        return MaskedLine.cap(redactor.redact(Ansi.strip(text)).strip());
    }

    /** The folders directly under {@code dir}, sorted; links and files left out; empty when it is missing. */
    private static List<Path> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }
}
