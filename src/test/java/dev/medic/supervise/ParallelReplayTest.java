package dev.medic.supervise;

import dev.medic.Fixtures;
import dev.medic.facts.Context;
import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;
import dev.medic.facts.FixOption;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.ScreenedLog;
import dev.medic.logs.TrickyLog;
import dev.medic.rules.RuleSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A log replayed in ranges on several threads is judged exactly as one read front to back. */
class ParallelReplayTest {
    private static final int MAX_LINE = 200;
    private static final int RANGE = 1000;
    private static final List<String> FAILURES = List.of(
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB",
            "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275, unhandled system error",
            "ModuleNotFoundError: No module named 'flash_attn'",
            "OSError: [Errno 28] No space left on device: '/ckpt/checkpoint-500/optimizer.pt'");

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

    @Test
    void rangesOnSeveralThreadsGiveTheSameVerdictAsOnePass() throws Exception {
        TrickyLog tricky = TrickyLog.build(MAX_LINE, RANGE, 80, FAILURES);
        Path log = tricky.write(tmp.resolve("train.log"));
        Replayer replayer = new Replayer(Fixtures.defaultCatalog(), rules, FixRegistry.standard());
        Verdict sequential = replayer.reading(ScreenedLog.Reading.sequential()).replay(log, 1, null, Context.unknown(), MAX_LINE);

        // the reference is right on its own: each failure's evidence is planted lines, first one included
        assertTrue(sequential.failures().size() >= FAILURES.size(), describe(sequential));
        for (Failure f : sequential.failures()) {
            List<Long> evidence = f.getEvidence().stream().map(Evidence::lineNo).toList();
            List<Long> plantedLines = tricky.planted().stream().map(TrickyLog.Planted::lineNo).toList();
            assertTrue(plantedLines.containsAll(evidence), f.getId() + " evidence " + evidence + " not among " + plantedLines);
        }
        assertEquals(tricky.planted().get(0).lineNo(), sequential.failures().stream()
                .flatMap(f -> f.getEvidence().stream()).mapToLong(Evidence::lineNo).min().orElseThrow());

        String expected = describe(sequential);
        for (int threads : new int[] {2, 4}) {
            for (long range : new long[] {1, 333, RANGE, RANGE + 1, 8192}) {
                Verdict parallel = replayer.reading(new ScreenedLog.Reading(threads, range))
                        .replay(log, 1, null, Context.unknown(), MAX_LINE);
                assertEquals(expected, describe(parallel), threads + " threads, ranges of " + range + " bytes");
            }
        }
    }

    /** Everything a replay prints or journals: failures with their evidence, the decision, each rung. */
    private static String describe(Verdict v) {
        StringBuilder b = new StringBuilder();
        for (Failure f : v.failures()) {
            b.append(f.getId()).append(f.isRoot() ? " root" : "").append(f.isConsequence() ? " consequence" : "")
                    .append(" matches=").append(f.getMatchCount()).append('\n');
            for (Evidence e : f.getEvidence()) {
                b.append("  ").append(e).append('\n');
            }
        }
        b.append("decision: ").append(v.decision() == null ? "none"
                : v.decision().getFixId() + " " + new TreeMap<>(v.decision().getParams()) + " " + v.decision().getReason()).append('\n');
        for (FixOption o : v.options()) {
            b.append("option: ").append(o).append(o.isSkipped() ? " skipped: " + o.getSkipReason() : "").append('\n');
        }
        return b.toString();
    }
}
