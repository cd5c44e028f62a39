package dev.medic.fix;

import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class CpuFallbackTest {
    private static final Map<String, String> CPU_ENV = Map.of("CUDA_VISIBLE_DEVICES", "", "ACCELERATE_USE_CPU", "true", "HOME", "/root");
    private static FixPlan plan(String cmd, Map<String, String> env, Map<String, Object> params) {
        return FixPlans.plan(new CpuFallback(), FixPlans.argv(cmd), env, params);
    }

    private static RunSpec next(String cmd, Map<String, String> env) {
        FixPlan p = plan(cmd, env, Map.of());
        return assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change for: " + cmd + " but " + p).next();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "python train.py --device cuda --epochs 3 | python train.py --device cpu --epochs 3",
            "python train.py --device=cuda:0 | python train.py --device=cpu",
            "python train.py device=cuda trainer.max_epochs=1 | python train.py device=cpu trainer.max_epochs=1",
            "python src/train.py experiment=example trainer.accelerator=gpu trainer.devices=1 | python src/train.py experiment=example trainer.accelerator=cpu trainer.devices=1",
            // Lightning CLI: only the accelerator is rewritten; devices stays as given
            "python main.py fit --trainer.accelerator gpu --trainer.devices 1 | python main.py fit --trainer.accelerator cpu --trainer.devices 1",
            "python train.py --accelerator GPU | python train.py --accelerator cpu",
            // HF: --fp16 needs a GPU; --bf16 and other arguments stay
            "python run_glue.py --model_name_or_path bert-base-cased --learning_rate 2e-5 --max_grad_norm 1.0 --dataloader_num_workers 8 --fp16 | python run_glue.py --model_name_or_path bert-base-cased --learning_rate 2e-5 --max_grad_norm 1.0 --dataloader_num_workers 8",
            "python run_clm.py --fp16 True --output_dir out --bf16_full_eval | python run_clm.py --output_dir out --bf16_full_eval",
            "accelerate launch --config_file acc.yaml train.py --fp16=true --fp16_full_eval --seed 1 | accelerate launch --config_file acc.yaml train.py --seed 1",
            // values that do not name a GPU stay: mps, a bare index, cpu
            "python train.py --device mps | python train.py --device mps",
            "yolo train model=yolov8n.pt data=coco8.yaml device=0 | yolo train model=yolov8n.pt data=coco8.yaml device=0",
            "python -m pkg.train --device cpu | python -m pkg.train --device cpu",
            "torchrun --nproc_per_node 1 train.py --device cuda | torchrun --nproc_per_node 1 train.py --device cpu",
    })
    void hidesTheGpusAndRewritesOnlyDeviceValues(String before, String after) {
        RunSpec n = next(before, Map.of("HOME", "/root"));
        assertEquals(FixPlans.argv(after), n.getArgv());
        assertEquals(CPU_ENV, n.getEnv());
    }

    @Test
    void replacesAVisibleDeviceListAndReportsEachChange() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan("python train.py --device cuda:1 --fp16", Map.of("CUDA_VISIBLE_DEVICES", "0,1"), Map.of()));
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "", "ACCELERATE_USE_CPU", "true"), c.next().getEnv());
        assertEquals(List.of("argv[3] --device: cuda:1 -> cpu", "removed --fp16 (it needs a GPU)",
                "env CUDA_VISIBLE_DEVICES: '0,1' -> ''", "env ACCELERATE_USE_CPU: (unset) -> 'true'"), c.changes());
    }

    @Test
    void cannotApplyWhenAlreadyOnTheCpu() {
        FixPlan p = plan("python train.py --device cpu", Map.of("CUDA_VISIBLE_DEVICES", "", "ACCELERATE_USE_CPU", "true"), Map.of());
        assertEquals("the command already runs on the CPU (CUDA_VISIBLE_DEVICES is empty, ACCELERATE_USE_CPU already set)"
                + " and no device flag names a GPU", assertInstanceOf(FixPlan.Cannot.class, p).reason());
        // but a device flag that still names a GPU is a change
        p = plan("python train.py --device cuda", Map.of("CUDA_VISIBLE_DEVICES", "", "ACCELERATE_USE_CPU", "true"), Map.of());
        assertEquals(FixPlans.argv("python train.py --device cpu"), assertInstanceOf(FixPlan.Change.class, p).next().getArgv());
    }

    @Test
    void refusesGpuOnlyLaunchers() {
        FixPlan p = plan("deepspeed --num_gpus 4 train.py --deepspeed ds.json", Map.of(), Map.of());
        assertEquals("'deepspeed' only runs on GPUs; it cannot fall back to the CPU", assertInstanceOf(FixPlan.Cannot.class, p).reason());
    }

    @Test
    void environmentAndRemovedFlagsComeFromTheSettings() {
        FixPlan p = plan("python run.py --fp16 --bf16", Map.of(),
                Map.of("env", Map.of("JAX_PLATFORMS", "cpu"), "remove_flags", List.of("--bf16")));
        RunSpec n = assertInstanceOf(FixPlan.Change.class, p).next();
        assertEquals(FixPlans.argv("python run.py --fp16"), n.getArgv());
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "", "JAX_PLATFORMS", "cpu"), n.getEnv());
    }

    @org.junit.jupiter.api.Test
    void fp16PrecisionIsTurnedIntoWhatCpusRun() {
        assertEquals(FixPlans.argv("python main.py fit --trainer.accelerator cpu --trainer.devices 4 --trainer.precision 32"),
                next("python main.py fit --trainer.accelerator gpu --trainer.devices 4 --trainer.precision 16-mixed", Map.of()).getArgv());
        assertEquals(FixPlans.argv("accelerate launch --num_processes 4 --mixed_precision no train.py"),
                next("accelerate launch --num_processes 4 --multi_gpu --mixed_precision fp16 train.py", Map.of()).getArgv());
        assertEquals(FixPlans.argv("python main.py fit --trainer.precision bf16-mixed --trainer.accelerator cpu"),
                next("python main.py fit --trainer.precision bf16-mixed --trainer.accelerator gpu", Map.of()).getArgv(),
                "bf16 runs on CPUs and stays");
    }
}
