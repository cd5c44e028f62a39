package dev.medic.supervise;

import dev.medic.Fixtures;
import dev.medic.facts.Context;
import dev.medic.fix.FixRegistry;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.util.SourceLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Detection that needs more than a pattern: numbers in the line, other failures, the machine's state. */
class ContextRulesTest {
    private static RuleSet rules;
    private static Replayer replayer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() {
        rules = new RuleCompiler().compile(SourceLocation.find("rules", ".drl", Fixtures.rulesDir(), Map.of(), null).read());
        replayer = new Replayer(Fixtures.defaultCatalog(), rules, FixRegistry.standard());
    }

    @AfterAll
    static void dispose() {
        rules.dispose();
    }

    private String root(String log, int exit, Context context) throws Exception {
        return ReplayRoot.of(replayer, tmp, log, exit, context);
    }

    private static final String SILENT_WRITE = """
            Epoch 3: 100%|##########| 500/500 [02:11<00:00,  3.80it/s]
            Saving checkpoint to ckpt/epoch3.pt
            Traceback (most recent call last):
              File "train.py", line 210, in <module>
                torch.save(state, path)
            RuntimeError: [enforce fail at inline_container.cc:471] . PytorchStreamWriter failed writing file data/12: file write failed
            """;

    @Test
    void aSilentWriteFailureIsAFullDiskWhenSpaceIsLowOrUnknown() throws Exception {
        assertEquals("disk_full", root(SILENT_WRITE, 1, Context.unknown()));
        assertEquals("disk_full", root(SILENT_WRITE, 1, new Context(200L << 20, 1L << 40, 1)));
        assertEquals("code_bug", root(SILENT_WRITE, 1, new Context(500L << 30, 1L << 40, 1)),
                "with 500 GiB free the write failed for another reason");
    }

    @Test
    void aLossScaleThatKeepsFallingIsNaNButOccasionalReductionsAreNormal() throws Exception {
        StringBuilder healthy = new StringBuilder();
        StringBuilder collapsing = new StringBuilder();
        double scale = 65536;
        for (int i = 0; i < 6; i++) {
            healthy.append("Gradient overflow.  Skipping step, loss scaler 0 reducing loss scale to ").append(scale /= 2).append('\n');
            healthy.append("step ").append(i).append(" loss 2.31 lr 1e-4\n");
        }
        scale = 65536;
        for (int i = 0; i < 9; i++) {
            collapsing.append("Gradient overflow.  Skipping step, loss scaler 0 reducing loss scale to ").append(scale /= 2).append('\n');
        }
        assertNull(root(healthy.toString(), 0, Context.unknown()));
        assertEquals("nan_loss", root(collapsing.toString(), 0, Context.unknown()));
        assertEquals("nan_loss", root("| WARNING: overflow detected, setting loss scale to: 6.103515625e-05\n", 0, Context.unknown()));
    }

    @Test
    void aTracebackIsACodeBugOnlyWhenNothingElseExplainsIt() throws Exception {
        String keyError = "Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\nKeyError: 'labels'\n";
        assertEquals("code_bug", root(keyError, 1, Context.unknown()));
        assertNull(root(keyError, 0, Context.unknown()), "a handled exception printed by a run that succeeded");
        String oomThenCleanupError = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2 GiB\n"
                + "Exception ignored in: <function Writer.__del__>\nAttributeError: 'NoneType' object has no attribute 'close'\n";
        assertEquals("cuda_oom", root(oomThenCleanupError, 1, Context.unknown()));
    }

    @Test
    void aRankThatRanOutOfMemoryIsTheRootOfTheOthersTimeouts() throws Exception {
        String log = """
                [rank3]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 4.00 GiB. GPU 3 has a total capacity of 79.15 GiB
                [rank0]:[E ProcessGroupNCCL.cpp:616] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=881, OpType=ALLREDUCE) ran for 600046 milliseconds before timing out.
                [rank1]:[E ProcessGroupNCCL.cpp:616] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=881, OpType=ALLREDUCE) ran for 600051 milliseconds before timing out.
                torch.distributed.elastic.multiprocessing.errors.ChildFailedError:
                """;
        assertEquals("cuda_oom", root(log, 1, Context.unknown()));
        // the same timeouts printed before the OOM line still have the OOM as their root
        String reordered = log.lines().skip(1).limit(2).reduce("", (a, b) -> a + b + "\n") + log.lines().findFirst().orElseThrow() + "\n";
        assertEquals("cuda_oom", root(reordered, 1, Context.unknown()));
    }

    @Test
    void anNcclErrorWrappingAnIllegalMemoryAccessIsADeviceFault() throws Exception {
        String log = "RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/NCCLUtils.hpp:219, unhandled cuda error, "
                + "NCCL version 2.18.1\nncclUnhandledCudaError: Call to CUDA function failed.\n"
                + "Last error:\nCuda failure 'an illegal memory access was encountered'\n";
        assertEquals("cuda_device_assert", root(log, 1, Context.unknown()));
    }

    @Test
    void aCpuFallbackWarningOnlyCountsWhenTheRunFailed() throws Exception {
        String log = "2024-01-01 10:00:00.000: E tensorflow/compiler/xla/stream_executor/cuda/cuda_driver.cc:268] "
                + "failed call to cuInit: CUDA_ERROR_UNKNOWN: unknown error\nEpoch 1/1\n100/100 - 3s - loss: 0.31\n";
        assertNull(root(log, 0, Context.unknown()));
        assertEquals("cuda_unavailable", root(log, 1, Context.unknown()));
    }
}
