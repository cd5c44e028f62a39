package dev.medic.gc;

import dev.medic.journal.Event;
import dev.medic.journal.RunHistory;
import dev.medic.supervise.FolderMark;
import dev.medic.supervise.RunLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Judges the folders under a run folder ({@code .medic/runs}) and a sweep folder
 * ({@code .medic/sweeps}). A run has finished when the last record of its {@code journal.jsonl}
 * is {@code run_finished}; it finished at that record's {@code ts} (the journal's modification
 * time when the stamp cannot be read, since that record was the journal's last write). A run
 * without it may be live, or resumable after its supervisor died: it is never finished here.
 * A sweep has finished when every trial run under its {@code trials/} has; it finished at the
 * latest of its trials' ends and of the last writes of its mark, {@code sweep.jsonl} and
 * {@code sweep.csv} (a resumed sweep rewrites {@code sweep.jsonl} as it starts). Only a folder
 * that carries medic's mark ({@link FolderMark}) is judged at all: anything else is kept.
 * Symbolic links are never followed: a link is never a run, and a journal that is a link does not
 * make its folder one.
 */
public final class Survey {
    private Survey() {
    }

    /** Every entry directly under {@code runDir}, judged as a run folder; empty when the folder does not exist. */
    public static List<Folder> runs(Path runDir) throws IOException {
        List<Folder> out = new ArrayList<>();
        for (Path p : children(runDir)) {
            out.add(run(p));
        }
        return out;
    }

    /** Every entry directly under {@code sweepDir}, judged as a sweep folder. */
    public static List<Folder> sweeps(Path sweepDir) throws IOException {
        List<Folder> out = new ArrayList<>();
        for (Path p : children(sweepDir)) {
            out.add(sweep(p));
        }
        return out;
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static Folder run(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            return Folder.kept(dir, Folder.Kind.OTHER, "a symbolic link (gc never follows one)");
        }
        Path journal = dir.resolve("journal.jsonl");
        String notOurs = FolderMark.notARun(dir);
        if (notOurs != null) {
            return Folder.kept(dir, Folder.Kind.OTHER, "not a medic run folder (" + notOurs + ")");
        }
        java.util.Optional<RunLock.Owner> holder = RunLock.liveOwner(dir);
        if (holder.isPresent()) {
            // a run that just finished can be taken up again (--resume) before it journals so
            return Folder.kept(dir, Folder.Kind.RUN, "a medic supervises it (" + holder.get().describe() + ")");
        }
        Instant end = runEnd(journal);
        return end == null ? Folder.kept(dir, Folder.Kind.RUN, "not finished (no run_finished record: live, or its supervisor was killed)")
                : Folder.finished(dir, Folder.Kind.RUN, end);
    }

    /** When the run finished, or null when its journal's last record is not run_finished. */
    private static Instant runEnd(Path journal) throws IOException {
        if (!(RunHistory.read(journal).last() instanceof Event.RunFinished end)) {
            return null;
        }
        return end.ts() != null ? end.ts() : Files.getLastModifiedTime(journal, LinkOption.NOFOLLOW_LINKS).toInstant();
    }

    static Folder sweep(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            return Folder.kept(dir, Folder.Kind.OTHER, "a symbolic link (gc never follows one)");
        }
        String notOurs = FolderMark.notASweep(dir);
        if (notOurs != null) {
            return Folder.kept(dir, Folder.Kind.OTHER, "not a medic sweep folder (" + notOurs + ")");
        }
        List<Path> records = new ArrayList<>();
        for (String name : List.of(FolderMark.SWEEP_FILE, "sweep.jsonl", "sweep.csv")) {
            if (Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                records.add(dir.resolve(name));
            }
        }
        Instant end = Instant.EPOCH;
        for (Path r : records) {
            end = latest(end, Files.getLastModifiedTime(r, LinkOption.NOFOLLOW_LINKS).toInstant());
        }
        Path trials = dir.resolve("trials");
        if (Files.isDirectory(trials, LinkOption.NOFOLLOW_LINKS)) {
            for (Path t : children(trials)) {
                if (Files.isSymbolicLink(t)) {
                    continue; // removing the sweep removes the link, never what it points at
                }
                Folder trial = run(t);
                if (trial.finishedAt() == null) {
                    return Folder.kept(dir, Folder.Kind.SWEEP, "trial " + t.getFileName() + ": " + trial.keptBecause());
                }
                end = latest(end, trial.finishedAt());
            }
        }
        return Folder.finished(dir, Folder.Kind.SWEEP, end);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
