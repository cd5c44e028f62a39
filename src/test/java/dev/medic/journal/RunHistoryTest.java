package dev.medic.journal;

import dev.medic.facts.FixApplied;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class RunHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void aRealRunThatSucceededAfterThreeFixesReadsBackWhole() throws Exception {
        RunHistory h = RunHistory.read(OldJournals.journal("mlp-oom-4M"));
        assertEquals(RunStatus.SUCCEEDED, h.status(RunStatus.DEAD));
        assertEquals(4, h.attempts());
        assertEquals("20261204-165607-51bb", h.runId());
        assertEquals("local", h.backend());
        assertEquals(List.of("reduce_batch_size", "set_env", "reduce_batch_size"), h.fixes());
        assertEquals("reduce_batch_size", h.lastFix());
        assertEquals(List.of("python3", "train_mlp.py", "--batch-size", "1000000", "--gradient-accumulation-steps", "4", "--steps", "3"),
                h.nextArgv());
        assertEquals(Map.of("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"), h.envSet());
        assertEquals(3, h.pastFailures().size());
        assertEquals("cuda_oom", h.rootFailure());
        FixApplied first = h.applied().get(0);
        assertEquals(new FixApplied(1, "cuda_oom", 1, "reduce_batch_size", Map.of(), true), first, "its decision had no params");
        assertEquals(0, h.freeAttempts());
        assertNull(h.abandoned());
        assertEquals(h.finished().ts(), h.last().ts());
        assertEquals(Map.of("step", 2, "loss", 1.0379), h.progress(), "the last attempt's last progress");
    }

    @Test
    void aRealRunThatEscalatedKeepsItsDecisions() throws Exception {
        RunHistory h = RunHistory.read(OldJournals.journal("mlp-nan-lr5"));
        assertEquals(RunStatus.ESCALATED, h.status(RunStatus.RUNNING_MAYBE));
        assertEquals(List.of("attempt 1: nan_loss -> scale_learning_rate", "attempt 2: nan_loss -> escalate"), h.summaries());
        assertEquals(List.of("python3", "train_mlp.py", "--batch-size", "4096", "--steps", "300", "--lr", "2.5"), h.nextArgv());
        assertEquals("nan_loss|step 3 loss inf", h.pastFailures().get(1).fingerprint());
        assertEquals(143, h.ends().get(2).exitCode());
        assertEquals("TERM", h.ends().get(2).signal());
    }

    @Test
    void aKilledSupervisorsRunIsUnfinishedWithItsAttemptOpen() throws Exception {
        List<Integer> damaged = new ArrayList<>();
        RunHistory h = RunHistory.of(JournalReader.read(OldJournals.journal("killed"), damaged::add));
        assertEquals(List.of(8), damaged, "the torn last line is skipped and said");
        assertEquals(RunStatus.DEAD, h.status(RunStatus.DEAD));
        assertEquals(RunStatus.RUNNING_MAYBE, h.status(RunStatus.RUNNING_MAYBE));
        assertNull(h.finished());
        assertEquals(2, h.abandoned().attempt());
        assertEquals("1029", h.abandoned().scalars().get("pid"));
        assertEquals(1, h.freeAttempts(), "nothing judged the open attempt: it is not the run's to pay for");
    }

    @Test
    void aResumedRunHasNotFinishedUntilItFinishesAgain() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(OldJournals.journal("mlp-nan-lr5")));
        lines.add("{\"ts\":\"2026-12-05T01:00:00Z\",\"event\":\"run_resumed\",\"attempt\":2,\"run_id\":\"r\",\"argv\":[\"python3\",\"t.py\"],"
                + "\"previous_status\":\"escalated\"}");
        Path journal = tmp.resolve("journal.jsonl");
        Files.write(journal, lines);
        RunHistory h = RunHistory.read(journal);
        assertEquals(RunStatus.DEAD, h.status(RunStatus.DEAD));
        assertEquals(List.of("python3", "t.py"), h.command(), "the command it was resumed with");
        assertEquals("2026-12-04T16:56:55.813872614Z", h.startedAt().toString(), "it started when it first started");
        Files.writeString(journal, "{\"ts\":\"2026-12-05T02:00:00Z\",\"event\":\"run_finished\",\"attempt\":3,\"status\":\"succeeded\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(RunStatus.SUCCEEDED, RunHistory.read(journal).status(RunStatus.DEAD));
    }

    @Test
    void aKindThisMedicDoesNotKnowIsReadAsUnknownAndTheRestStillFolds() throws Exception {
        Path journal = tmp.resolve("journal.jsonl");
        Files.writeString(journal, String.join("\n",
                "{\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"run_started\",\"attempt\":0,\"run_id\":\"r\",\"argv\":[\"x\"],\"format\":1}",
                "{\"ts\":\"2026-01-01T00:00:01Z\",\"event\":\"gpu_reset\",\"attempt\":1,\"gpu\":\"0\",\"why\":{\"xid\":79}}",
                "{\"ts\":\"2026-01-01T00:00:02Z\",\"event\":\"run_finished\",\"attempt\":1,\"status\":\"succeeded\"}") + "\n");
        List<Event> events = JournalReader.read(journal);
        Event.Unknown odd = assertInstanceOf(Event.Unknown.class, events.get(1));
        assertEquals("gpu_reset", odd.kind());
        assertEquals(Map.of("gpu", "0", "why", Map.of("xid", 79)), odd.fields());
        assertEquals(RunStatus.SUCCEEDED, RunHistory.of(events).status(RunStatus.DEAD));
    }
}
