package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.CommandResult;
import dev.medic.backend.ExitStatus;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.backend.local.LocalBackend;
import dev.medic.backend.slurm.JobState;
import dev.medic.facts.Context;
import dev.medic.facts.Failure;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.RunStatus;
import dev.medic.rules.RuleSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SIGKILL is host memory only when the system recorded an out-of-memory kill: live, without a
 * record it is `killed` (retried once, never a smaller batch); with one (here a scheduler's) it is
 * host_oom with the record as evidence; a replayed log keeps host_oom. The real kernel OOM kill is
 * dev.medic.cli.OomKillTest.
 */
class KilledTest {
    private static RuleSet rules;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() {
        rules = Fixtures.defaultRules();
    }

    @AfterAll
    static void dispose() {
        rules.dispose();
    }

    private static List<JsonNode> roots(RunResult r) throws Exception {
        return Harness.events(r, "failure").stream().filter(f -> f.path("root").asBoolean()).toList();
    }

    @Test
    void aChildThatKillsItselfIsKilledRetriedOnceUnchangedThenEscalated() throws Exception {
        Harness h = new Harness(tmp);
        RunResult r = h.run("sh", "-c", "echo 'step 1 loss 2.5'; kill -9 $$", "train", "--batch-size", "64");
        assertEquals(RunStatus.ESCALATED, r.status(), Harness.journal(r).toString());
        assertEquals(2, r.attempts(), "one retry, then a person");
        List<JsonNode> roots = roots(r);
        assertEquals(2, roots.size());
        for (JsonNode f : roots) {
            assertEquals("killed", f.path("failure").asText(), Harness.journal(r).toString());
            assertEquals("killed by SIGKILL (exit code 137, signal KILL); the system recorded no out-of-memory kill",
                    f.path("evidence").get(0).path("text").asText());
        }
        assertFalse(Harness.events(r, "failure").stream().anyMatch(f -> f.path("failure").asText().equals("host_oom")),
                "a kill with no record is not host memory");
        for (JsonNode a : Harness.events(r, "attempt_finished")) {
            assertEquals(137, a.path("exit_code").asInt());
            assertTrue(a.path("oom_evidence").isMissingNode(), "no record, no oom_evidence: " + a);
        }
        List<JsonNode> started = Harness.events(r, "attempt_started");
        assertEquals(started.get(0).path("argv"), started.get(1).path("argv"), "a plain retry: the batch size is not halved");
        assertEquals("64", started.get(1).path("argv").get(5).asText());
        List<JsonNode> decisions = Harness.events(r, "decision");
        assertEquals("retry", decisions.get(0).path("fix").asText());
        assertEquals("escalate", decisions.get(1).path("fix").asText());
        assertEquals(1, h.escalations.size());
        assertEquals("killed", h.escalations.get(0).failure());
    }

    @Test
    void aLineThatSaysMemoryIsHostOomLiveWithoutARecord() throws Exception {
        Harness h = new Harness(tmp);
        h.dryRun = true;
        Path s = h.script("alloc.py", """
                import sys
                print('Traceback (most recent call last):', file=sys.stderr)
                print('  File "train.py", line 3, in <module>', file=sys.stderr)
                print('MemoryError', file=sys.stderr)
                sys.exit(1)
                """);
        RunResult r = h.run("python3", s.toString());
        List<JsonNode> roots = roots(r);
        assertEquals("host_oom", roots.get(0).path("failure").asText(), Harness.journal(r).toString());
        assertEquals("MemoryError", roots.get(0).path("evidence").get(0).path("text").asText());
    }

    /** Runs attempts as local processes and reports their end as Slurm would for {@code jobState}. */
    private static RunBackend slurmReporting(String jobState) {
        LocalBackend local = new LocalBackend();
        return new RunBackend() {
            @Override
            public String name() {
                return "slurm-state";
            }

            @Override
            public RunningAttempt start(RunSpec spec, AttemptTag tag, OutputSink sink) {
                return new ForwardingAttempt(local.start(spec, tag, sink)) {
                    @Override
                    public ExitStatus exitStatus() {
                        return real.exitStatus() == null ? null : JobState.parse(jobState).toExitStatus();
                    }
                };
            }

            @Override
            public CommandResult runCommand(RunSpec like, List<String> argv, Map<String, String> env, Duration timeout, Path log)
                    throws InterruptedException {
                return local.runCommand(like, argv, env, timeout, log);
            }
        };
    }

    @Test
    void slurmsOutOfMemoryIsHostOomWithTheSchedulersRecord() throws Exception {
        Harness h = new Harness(tmp);
        h.dryRun = true;
        h.backend = slurmReporting("JobId=7 JobState=OUT_OF_MEMORY Reason=OutOfMemory ExitCode=0:125");
        RunResult r = h.run("sh", "-c", "echo loading");
        JsonNode root = roots(r).get(0);
        assertEquals("host_oom", root.path("failure").asText(), Harness.journal(r).toString());
        assertEquals("system", root.path("evidence").get(0).path("stream").asText());
        assertEquals("Slurm job state OUT_OF_MEMORY", root.path("evidence").get(0).path("text").asText());
        assertEquals("Slurm job state OUT_OF_MEMORY", Harness.events(r, "attempt_finished").get(0).path("oom_evidence").asText());
    }

    @Test
    void aSlurmJobKilledWithoutOutOfMemoryIsKilled() throws Exception {
        Harness h = new Harness(tmp);
        h.dryRun = true;
        h.backend = slurmReporting("JobId=8 JobState=FAILED Reason=NonZeroExitCode ExitCode=0:9");
        RunResult r = h.run("sh", "-c", "echo loading");
        assertEquals("killed", roots(r).get(0).path("failure").asText(), Harness.journal(r).toString());
    }

    @Test
    void replayAndEvalOfALogEndingInKilledKeepHostOom() throws Exception {
        Path log = Files.writeString(tmp.resolve("run.log"), "Epoch 1/10\n  3/500 [....] - loss: 2.31\nKilled\n");
        Replayer replayer = new Replayer(Fixtures.defaultCatalog(), rules, FixRegistry.standard());
        Failure root = replayer.replay(log, 137, null, Context.unknown(), 64 * 1024).root();
        assertEquals("host_oom", root.getId());
        assertEquals("Killed", root.getEvidence().get(0).text());
        Failure byStatus = replayer.replay(Files.writeString(tmp.resolve("quiet.log"), "Epoch 1/10\n"), 137, null,
                Context.unknown(), 64 * 1024).root();
        assertEquals("host_oom", byStatus.getId(), "exit 137 alone, replayed");
        assertNull(replayer.replay(log, 0, null, Context.unknown(), 64 * 1024).root(), "a run that succeeded was not killed");

        Path corpus = Files.createDirectories(tmp.resolve("corpus/host_oom"));
        Files.copy(log, corpus.resolve("killed.log"));
        Files.writeString(corpus.resolve("killed.exit"), "137\n");
        Evaluation e = Evaluation.run(tmp.resolve("corpus"), replayer, Context.unknown(), 64 * 1024);
        assertEquals(1.0, e.accuracy(), e.cases().toString());
    }
}
