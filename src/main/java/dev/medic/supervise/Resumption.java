package dev.medic.supervise;

import dev.medic.Version;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.catalog.Catalog;
import dev.medic.facts.Attempt;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.logs.AttemptLog;
import dev.medic.logs.Screen;
import dev.medic.logs.ScreenedLog;
import dev.medic.progress.ProgressTracker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;


/**
 * A run resumed from its journal: its new start is journaled, its history taken back, its
 * leftovers stopped, and the attempt a supervisor that died left running (or that ended since,
 * with its output and status kept) taken up and judged as if nobody had died.
 */
final class Resumption {
    /** At most this many lines of an adopted attempt's log that a signature may match are given to the rules again. */
    private static final int ADOPTED_LINES = 10_000;

    private record Adoption(int attempt, RunBackend.Adoptable adoptable, Map<String, String> started) {
    }

    private final RunBackend backend;
    private final RunFolder folder;
    private final Journal journal;
    private final RunLedger ledger;
    private final RunOptions options;
    private final Knowledge knowledge;
    private final BlockingQueue<Object> queue;
    private final AttemptWatch watch;
    private final OutputSink echo;
    private final BiConsumer<Integer, RunSpec> specListener;
    /** The attempt to take up from the supervisor that died, or null. */
    private Adoption adoption;

    Resumption(RunBackend backend, RunFolder folder, Journal journal, RunLedger ledger, RunOptions options, Knowledge knowledge,
               BlockingQueue<Object> queue, AttemptWatch watch, OutputSink echo, BiConsumer<Integer, RunSpec> specListener) {
        this.backend = backend;
        this.folder = folder;
        this.journal = journal;
        this.ledger = ledger;
        this.options = options;
        this.knowledge = knowledge;
        this.queue = queue;
        this.watch = watch;
        this.echo = echo;
        this.specListener = specListener;
    }

    /** True when attempt {@code n} is the one to take up. */
    boolean takesUp(int n) {
        return adoption != null && adoption.attempt() == n;
    }

    /** Journals a resumed run's new start, takes its history back, stops its leftovers; returns the next attempt's number. */
    int begin(RunSpec next, RunState state, RunLock lock, List<String> startWarnings) throws InterruptedException {
        int last = state.lastAttempt();
        journal.write(new Event.RunResumed(null, last, folder.runId(), next.getArgv(), next.envChangedFrom(System.getenv()),
                Version.get(), backend.name(), state.finishedStatus() == null ? null : state.finishedStatus().word(),
                lock.takenOverFrom().map(RunLock.Owner::describe).orElse(null), options.maxAttempts(), last - state.freeAttempts()));
        int open = state.abandonedAttempt();
        RunBackend.Adoptable adoptable = open > 0
                ? backend.adoptable(new AttemptTag(folder.runId(), open, folder.dir()), state.abandonedStart()) : null;
        String abandoned = "its supervisor stopped before the attempt ended";
        if (adoptable != null) {
            try {
                AttemptLog.checkState(folder.attemptState(open));
            } catch (IOException e) {
                // the log cannot go on from a state nobody can trust: the attempt is stopped below, as a leftover
                adoptable = null;
                abandoned = "it cannot be taken up: " + e.getMessage();
            }
        }
        if (adoptable != null) {
            // still running, or ended with its output and status kept: it is judged as if nobody had died
            adoption = new Adoption(open, adoptable, state.abandonedStart());
        } else if (open > 0) {
            journal.write(new Event.AttemptAbandoned(null, open, abandoned));
        }
        for (String w : startWarnings) {
            journal.write(new Event.Warning(null, last, w));
        }
        // only this run's: another run's supervisor may have died too, and its training is not this run's to stop
        for (String line : backend.stopLeftovers(new AttemptTag(folder.runId(), 0, folder.dir()), adoption == null ? 0 : open)) {
            journal.write(new Event.LeftoverStopped(null, last, line));
        }
        if (open > 0 && adoption == null) {
            backend.discard(new AttemptTag(folder.runId(), open, folder.dir()), state.abandonedStart());
        }
        ledger.resume(state, state.freeAttempts() - (adoption == null ? 0 : 1));
        return adoption == null ? last + 1 : open;
    }

    /**
     * Takes up attempt {@code n}, which a supervisor that died left running (or which ended since):
     * its log goes on from where that supervisor's resume state says it got, the lines already in
     * the log are screened again for the rules, its output is followed from there, and its end is
     * judged and journaled as any attempt's. Its time limits count from its start.
     */
    AttemptWatch.Ended takeUp(int n, RunSpec spec) throws IOException, InterruptedException {
        Catalog catalog = knowledge.catalog();
        Path logPath = folder.attemptLog(n);
        queue.clear();
        AttemptLog log = AttemptLog.resume(logPath, options.maxLogBytes(), folder.attemptState(n));
        try {
            long startedAt = startMillis(adoption.started().get("ts"));
            Attempt attempt = new Attempt(n, spec, startedAt);
            ProgressTracker progress = watch.newProgress();
            Screen screen = new Screen(catalog.signatures());
            // what the killed supervisor had read is judged again, as a replay judges a saved log; the newest
            // lines only, so that a log of days does not fill the heap before the rules see any of it
            ArrayDeque<LogEvent> earlier = new ArrayDeque<>();
            long[] skipped = {0};
            Replayer.events(logPath, options.maxLine(), screen, ScreenedLog.Reading.sequential(), n, e -> {
                if (earlier.size() == ADOPTED_LINES) {
                    earlier.removeFirst();
                    skipped[0]++;
                }
                earlier.addLast(e);
            });
            if (skipped[0] > 0) {
                journal.write(new Event.Warning(null, n, "taking up attempt " + n + ": the rules see the last "
                        + ADOPTED_LINES + " of the " + (skipped[0] + ADOPTED_LINES) + " lines of its log that a signature may match"));
            }
            AttemptOutput output = new AttemptOutput(n, log, screen, catalog.progress(), progress, queue, options.maxLine(), echo);
            output.outputSeenAt(adoption.adoptable().lastOutputMillis());
            long stdoutFrom = log.savedBytes(dev.medic.backend.OutputSink.STDOUT);
            long stderrFrom = log.savedBytes(dev.medic.backend.OutputSink.STDERR);
            specListener.accept(n, spec);
            RunningAttempt running = adoption.adoptable().follow(stdoutFrom, stderrFrom, output);
            knowledge.beginRules();
            journal.write(new Event.AttemptAdopted(null, n, running.pid(), running.handle(), logPath.toString(), log.lines(), stdoutFrom,
                    stderrFrom));
            return watch.watch(n, spec, attempt, running, output, log, logPath, catalog, new ArrayList<>(earlier),
                    System.currentTimeMillis() - startedAt);
        } finally {
            adoption = null;
            try {
                log.close();
            } catch (IOException e) {
                // a full disk: the write failure was already reported and decided on
            }
        }
    }

    private static long startMillis(String ts) {
        try {
            return java.time.Instant.parse(ts).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
