package dev.medic.bench;

import dev.medic.backend.local.LocalBackend;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.Event;
import dev.medic.supervise.Knowledge;
import dev.medic.supervise.RunOptions;
import dev.medic.supervise.RunResult;
import dev.medic.supervise.Supervisor;
import dev.medic.util.SourceLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Supervises, in this JVM, children that die of a CUDA OOM right after saying so, and times two
 * things from the journal listener: the OOM line to the "decision" record, and the child's exit to
 * the next "attempt_started" record. The catalog's cuda_oom ladder allows a handful of
 * reduce_batch_size fixes before it escalates, so one run yields only a few samples; the loop
 * starts new runs until it has enough.
 *
 * <p>Each run makes its rule base in the background while attempt 1 runs, and a child that fails
 * within milliseconds makes the first decision wait for it. That wait is kept apart
 * (the {@code first*} lists: attempt 1's decision, attempt 2's start) so that it neither hides in
 * nor dominates the steady-state numbers.
 */
final class FailureLoop {
    /**
     * 2^30: ten digits, the longest batch size reduce_batch_size accepts, and room for 30 halvings,
     * so the ladder's budget (not the batch size) ends each run.
     */
    private static final String FIRST_BATCH_SIZE = "1073741824";
    /** Only an upper bound: each run normally ends by escalation once the ladder is spent. */
    private static final int MAX_ATTEMPTS = 64;

    /** Latencies in nanoseconds; the {@code first*} lists hold those that wait for the rule base. */
    record Samples(List<Long> decision, List<Long> restart, List<Long> firstDecision, List<Long> firstRestart,
                   int runs) {
    }

    private final Path repo;
    private final Path scratch;
    private final List<Long> decision = new ArrayList<>();
    private final List<Long> restart = new ArrayList<>();
    private final List<Long> firstDecision = new ArrayList<>();
    private final List<Long> firstRestart = new ArrayList<>();

    FailureLoop(Path repo, Path scratch) {
        this.repo = repo;
        this.scratch = scratch;
    }

    /** Runs until both steady-state lists hold {@code wanted} samples. */
    Samples collect(int wanted) throws IOException, InterruptedException {
        Path script = ChildScripts.write(scratch, "oom_child.py", ChildScripts.OOM_CHILD);
        int runs = 0;
        while (decision.size() < wanted || restart.size() < wanted) {
            runs++;
            int before = restart.size();
            RunResult result = superviseOnce(runs, script);
            if (restart.size() == before) {
                throw new IllegalStateException("run " + result.runId() + " ended " + result.status().word()
                        + " after " + result.attempts() + " attempt(s), too few to time; see "
                        + result.runDir().resolve("journal.jsonl"));
            }
            Bench.progress("failure loop: run %d, %d/%d samples", runs, Math.min(decision.size(), restart.size()), wanted);
        }
        return new Samples(List.copyOf(decision), List.copyOf(restart), List.copyOf(firstDecision),
                List.copyOf(firstRestart), runs);
    }

    private RunResult superviseOnce(int index, Path script) throws IOException, InterruptedException {
        Path marks = Files.createDirectories(scratch.resolve("marks-" + index));
        Map<String, String> env = System.getenv();
        SourceLocation catalog = SourceLocation.find("catalog", ".yaml", repo.resolve("catalog"), env, null);
        SourceLocation rules = SourceLocation.find("rules", ".drl", repo.resolve("rules"), env, null);
        RunOptions options = new RunOptions(MAX_ATTEMPTS, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(30),
                Duration.ofMinutes(10), Duration.ZERO, Duration.ofSeconds(10), scratch.resolve("runs"), false, 64 * 1024);
        RunSpec spec = new RunSpec(List.of("python3", script.toString(), "--marks", marks.toString(),
                "--batch-size", FIRST_BATCH_SIZE), env, scratch);
        try (Knowledge knowledge = new Knowledge(catalog, rules)) {
            Supervisor supervisor = new Supervisor(new LocalBackend(), knowledge, FixRegistry.standard(), List.of(), options);
            supervisor.addListener(record -> {
                // the clock is read first: everything after it is the harness's own time
                long now = nowNanos();
                int attempt = record.attempt();
                if (record instanceof Event.Decision) {
                    long sample = now - takeMark(marks, "failed_ns");
                    (attempt == 1 ? firstDecision : decision).add(sample);
                } else if (record instanceof Event.AttemptStarted && attempt > 1) {
                    long sample = now - takeMark(marks, "exit_ns");
                    (attempt == 2 ? firstRestart : restart).add(sample);
                }
            });
            return supervisor.run(spec);
        }
    }

    /** Reads and deletes a mark, so that a missing one fails loudly instead of reusing an old value. */
    private static long takeMark(Path marks, String name) {
        Path p = marks.resolve(name);
        try {
            long value = Long.parseLong(Files.readString(p).strip());
            Files.delete(p);
            return value;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the child left no " + name + " in " + marks, e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
