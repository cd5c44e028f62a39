package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.facts.Failure;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OOM lines are the H200's (../shared/fixtures/gpu-runs) and an older PyTorch's wording. */
class ExpandableSegmentsTest {
    private static final RunSpec SPEC = new RunSpec(List.of("python3", "train_mlp.py", "--batch-size", "4096"), Map.of(),
            Path.of("/tmp"));

    private static FixPlan plan(String oomLine, Map<String, String> env) {
        Failure f = Failure.fromLine(FixPlans.CATALOG.entry("cuda_oom"), new LogEvent(1, "stderr", 9, oomLine, 0, List.of()));
        return FixPlans.plan(new ExpandableSegments(), new RunSpec(SPEC.getArgv(), env, Path.of("/tmp")), Map.of(), f, null);
    }

    private static String oom(String run, int attempt) throws Exception {
        return Files.readAllLines(Fixtures.shared("fixtures/gpu-runs/" + run + "/attempt-" + attempt + ".log")).stream()
                .filter(l -> l.contains("torch.OutOfMemoryError")).findFirst().orElseThrow();
    }

    @Test
    void anAllocationLargerThanFreePlusReservedButUnallocatedIsNotTried() throws Exception {
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class, plan(oom("hf-trainer-oom-4096", 1), Map.of()));
        assertEquals("cannot help: the allocation of 64.00 GiB is larger than the 8.89 GiB free and 7.98 GiB reserved "
                + "but unallocated together", c.reason());
        assertInstanceOf(FixPlan.Cannot.class, plan(oom("mlp-oom-4M", 1), Map.of()));
    }

    @Test
    void aFragmentedCacheThatCouldServeTheAllocationGetsExpandableSegments() throws Exception {
        // 61.04 GiB wanted, 9.35 GiB free, 61.04 GiB reserved but unallocated: the pieces would have served it
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan(oom("mlp-oom-4M", 2), Map.of("HOME", "/root")));
        assertEquals(Map.of("HOME", "/root", "PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"), c.next().getEnv());
        assertEquals(SPEC.getArgv(), c.next().getArgv());
        assertTrue(c.changes().get(0).startsWith("env PYTORCH_CUDA_ALLOC_CONF: (unset) -> 'expandable_segments:True' (61.04 GiB wanted"),
                c.changes().toString());
        FixPlan.Change kept = assertInstanceOf(FixPlan.Change.class,
                plan(oom("mlp-oom-4M", 2), Map.of("PYTORCH_CUDA_ALLOC_CONF", "max_split_size_mb:512")));
        assertEquals("max_split_size_mb:512,expandable_segments:True", kept.next().getEnv().get("PYTORCH_CUDA_ALLOC_CONF"));
        assertInstanceOf(FixPlan.Cannot.class, plan(oom("mlp-oom-4M", 2),
                Map.of("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True")));
    }

    @Test
    void olderWordingsAreReadAndAMessageWithoutNumbersIsNoReasonToTry() {
        String old = "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity; "
                + "5.68 GiB already allocated; 17.00 MiB free; 6.71 GiB reserved in total by PyTorch)";
        assertInstanceOf(FixPlan.Change.class, plan(old, Map.of()), "1.03 GiB reserved but unallocated serves 20 MiB");
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class,
                plan("tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor", Map.of()));
        assertTrue(c.reason().contains("does not say how much memory was free"), c.reason());
    }
}
