package dev.medic.fix;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SetEnvTest {
    private static final List<String> HF = List.of("python", "run_glue.py", "--model_name_or_path", "bert-base-cased",
            "--learning_rate", "2e-5", "--max_grad_norm", "1.0", "--dataloader_num_workers", "8", "--fp16");
    private static FixPlan plan(List<String> argv, Map<String, String> env, Map<String, Object> params) {
        return FixPlans.plan(new SetEnv(), argv, env, params);
    }

    @Test
    void setsTheVariablesOfARungAndTouchesNothingElse() {
        Map<String, Object> params = Map.of("vars", Map.of("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"));
        List<String> torchrun = List.of("torchrun", "--nproc_per_node", "8", "train.py", "--batch-size", "64");
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan(torchrun, Map.of("HOME", "/root"), params));
        assertEquals(torchrun, c.next().getArgv());
        assertEquals(Map.of("HOME", "/root", "PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"), c.next().getEnv());
        assertEquals(List.of("env PYTORCH_CUDA_ALLOC_CONF: (unset) -> 'expandable_segments:True'"), c.changes());
    }

    @Test
    void changesOnlyTheVariablesThatDiffer() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("NCCL_P2P_DISABLE", 1);
        vars.put("NCCL_IB_DISABLE", "1");
        vars.put("TOKENIZERS_PARALLELISM", false);
        FixPlan p = plan(HF, Map.of("NCCL_IB_DISABLE", "1", "NCCL_P2P_DISABLE", "0"), Map.of("vars", vars));
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, p);
        assertEquals(HF, c.next().getArgv());
        assertEquals(Map.of("NCCL_IB_DISABLE", "1", "NCCL_P2P_DISABLE", "1", "TOKENIZERS_PARALLELISM", "false"), c.next().getEnv());
        assertEquals(List.of("env NCCL_P2P_DISABLE: '0' -> '1'", "env TOKENIZERS_PARALLELISM: (unset) -> 'false'"), c.changes());
    }

    @Test
    void cannotApplyWhenEveryVariableAlreadyHasItsValue() {
        FixPlan p = plan(HF, Map.of("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"),
                Map.of("vars", Map.of("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True")));
        assertEquals("every variable already has that value (PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True)",
                assertInstanceOf(FixPlan.Cannot.class, p).reason());
    }

    @Test
    void refusesNamesThatAreNotVariableNames() {
        FixPlan p = plan(HF, Map.of(), Map.of("vars", Map.of("BAD-NAME", "1")));
        assertEquals("not a valid environment variable name: 'BAD-NAME'", assertInstanceOf(FixPlan.Cannot.class, p).reason());
        p = plan(HF, Map.of(), Map.of("vars", Map.of("1ST", "1")));
        assertInstanceOf(FixPlan.Cannot.class, p);
        p = plan(HF, Map.of(), Map.of("vars", Map.of("A B", "1")));
        assertInstanceOf(FixPlan.Cannot.class, p);
    }

    @Test
    void cannotApplyWithoutVariables() {
        FixPlan p = plan(HF, Map.of(), Map.of());
        assertEquals("no variables to set (give them as vars: {NAME: value} in the rung's params)",
                assertInstanceOf(FixPlan.Cannot.class, p).reason());
    }
}
