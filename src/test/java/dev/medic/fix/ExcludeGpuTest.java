package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.Settings;
import dev.medic.facts.Failure;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ExcludeGpuTest {
    private static Catalog catalog;

    @BeforeAll
    static void load() {
        catalog = Fixtures.defaultCatalog();
    }

    private static List<String> argv(String cmd) {
        return List.of(cmd.strip().split(" +"));
    }

    private static Failure failure(String... lines) {
        if (lines.length == 0) {
            return null;
        }
        Failure f = null;
        for (int i = 0; i < lines.length; i++) {
            LogEvent e = new LogEvent(1, "stderr", 100 + i, lines[i], 0L, List.of());
            if (f == null) {
                f = Failure.fromLine(catalog.entry("gpu_hardware"), e);
            } else {
                f.addEvidence(e);
            }
        }
        return f;
    }

    private static FixPlan plan(String cmd, String visible, Map<String, Object> params, String... evidence) {
        Settings s = catalog.fixSettings("exclude_gpu").with("test.params", params);
        Map<String, String> env = new HashMap<>(Map.of("HOME", "/root"));
        if (visible != null) {
            env.put("CUDA_VISIBLE_DEVICES", visible);
        }
        return new ExcludeGpu().plan(new RunSpec(argv(cmd), env, Path.of("/tmp")), new FixContext(s, failure(evidence), null, 1));
    }

    private static String cannot(String cmd, String visible, String... evidence) {
        FixPlan p = plan(cmd, visible, Map.of(), evidence);
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected no change for: " + cmd + " but " + p).reason();
    }

    @ParameterizedTest(name = "{0} / {2}")
    @CsvSource(delimiter = '|', value = {
            // the index counts within the visible list
            "python train.py --epochs 3 | 0,1,2,3 | RuntimeError: CUDA error: uncorrectable ECC error encountered (GPU 3) | python train.py --epochs 3 | 0,1,2",
            "python train.py | 4,5,6,7 | torch.AcceleratorError: CUDA error: uncorrectable ECC error encountered on cuda:1 | python train.py | 4,6,7",
            "python -m pkg.train --device cuda | 0,1 | Unable to use device 1: GPU is lost | python -m pkg.train --device cuda | 0",
            "python train.py | GPU-6f1e,GPU-8a2c,GPU-93bd | GPU 1 has fallen off the bus | python train.py | GPU-6f1e,GPU-93bd",
            // process counts larger than the GPUs left are lowered
            "torchrun --nproc_per_node 4 train.py --batch-size 64 | 0,1,2,3 | [Rank 2] CUDA error on cuda:2: an uncorrectable ECC error was encountered | torchrun --nproc_per_node 3 train.py --batch-size 64 | 0,1,3",
            "torchrun --standalone --nproc-per-node=8 train.py | 0,1,2,3,4,5,6,7 | GPU 5: Xid 79 | torchrun --standalone --nproc-per-node=7 train.py | 0,1,2,3,4,6,7",
            "accelerate launch --config_file acc.yaml --num_processes 4 train.py --output_dir out | 0,1,2,3 | GPU 0 has fallen off the bus | accelerate launch --config_file acc.yaml --num_processes 3 train.py --output_dir out | 1,2,3",
            "python main.py fit --trainer.devices 4 --trainer.accelerator gpu | 0,1,2,3 | NVLink error on GPU 2 | python main.py fit --trainer.devices 3 --trainer.accelerator gpu | 0,1,3",
            "python src/train.py trainer=ddp trainer.devices=2 | 0,1,2,3 | GPU 2: uncorrectable ECC error | python src/train.py trainer=ddp trainer.devices=2 | 0,1,3",
            "python src/train.py trainer=ddp trainer.devices=auto | 0,1 | GPU 0: uncorrectable ECC error | python src/train.py trainer=ddp trainer.devices=auto | 1",
            // deepspeed follows CUDA_VISIBLE_DEVICES when no GPU flag is given
            "deepspeed train.py --deepspeed ds.json | 0,1,2,3 | CUDA error: device 3 is lost | deepspeed train.py --deepspeed ds.json | 0,1,2",
            "python train_net.py --num-gpus 8 --config-file cfg.yaml | 0,1,2,3,4,5,6,7 | RuntimeError: CUDA error on GPU 7 | python train_net.py --num-gpus 7 --config-file cfg.yaml | 0,1,2,3,4,5,6",
    })
    void runsWithoutTheFailedGpu(String cmd, String visible, String evidence, String nextCmd, String nextVisible) {
        FixPlan p = plan(cmd, visible, Map.of(), evidence);
        RunSpec n = assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change but " + p).next();
        assertEquals(argv(nextCmd), n.getArgv());
        assertEquals(Map.of("HOME", "/root", "CUDA_VISIBLE_DEVICES", nextVisible), n.getEnv());
    }

    @Test
    void reportsEachChange() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan("torchrun --nproc_per_node 4 train.py", "4,5,6,7", Map.of(), "CUDA error: uncorrectable ECC error (GPU 1)"));
        assertEquals(List.of("env CUDA_VISIBLE_DEVICES: '4,5,6,7' -> '4,6,7' (without GPU 1, device 5)",
                "argv[2] --nproc_per_node: 4 -> 3 (GPUs left)"), c.changes());
    }

    @Test
    void usesTheGpuCountSettingOnlyWhenTheVisibleListIsUnset() {
        assertEquals("CUDA_VISIBLE_DEVICES is not set, so the GPU list is unknown",
                cannot("python train.py", null, "GPU 2 has fallen off the bus"));
        FixPlan p = plan("python train.py", null, Map.of("gpu_count", 4), "GPU 2 has fallen off the bus");
        assertEquals("0,1,3", assertInstanceOf(FixPlan.Change.class, p).next().getEnv().get("CUDA_VISIBLE_DEVICES"));
    }

    @Test
    void cannotApplyWithoutAGpuIndexInTheEvidence() {
        assertEquals("the failure's evidence does not name a GPU (no 'GPU N', 'cuda:N' or 'device N')",
                cannot("python train.py", "0,1", "[Rank 3] Watchdog caught collective operation timeout"));
        assertEquals("the failure's evidence does not name a GPU (no 'GPU N', 'cuda:N' or 'device N')",
                cannot("python train.py", "0,1", "rank3: RuntimeError: CUDA error: uncorrectable ECC error encountered"));
        assertEquals("the failure's evidence does not name a GPU (no 'GPU N', 'cuda:N' or 'device N')",
                cannot("python train.py", "0,1"));
        assertEquals("the evidence names the GPU only by its PCI bus id (00000000:3B:00.0); mapping a bus id to a CUDA index"
                        + " needs nvidia-smi, which a fix does not run",
                cannot("python train.py", "0,1", "Unable to determine the device handle for GPU 00000000:3B:00.0: Unknown Error"));
        assertEquals("the evidence names the GPU only by its PCI bus id (PCI:0000:3b:00); mapping a bus id to a CUDA index"
                        + " needs nvidia-smi, which a fix does not run",
                cannot("python train.py", "0,1", "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus."));
        assertEquals("the evidence names more than one GPU ([1, 3]); not guessing which one failed",
                cannot("python train.py", "0,1,2,3", "GPU 1 has fallen off the bus", "GPU 3 has fallen off the bus"));
    }

    @Test
    void cannotApplyWhenNoGpuWouldBeLeftOrTheIndexIsNotVisible() {
        assertEquals("GPU 0 is the only visible GPU; excluding it would leave none",
                cannot("python train.py", "3", "GPU 0 has fallen off the bus"));
        assertEquals("GPU 5 is not among the 2 visible GPUs (CUDA_VISIBLE_DEVICES=0,1)",
                cannot("python train.py", "0,1", "GPU 5 has fallen off the bus"));
        assertEquals("GPU 0 is not among the 0 visible GPUs (CUDA_VISIBLE_DEVICES=)",
                cannot("python train.py", "", "GPU 0 has fallen off the bus"));
    }

    @Test
    void cannotApplyWhereTheLauncherPicksGpusItself() {
        assertEquals("'deepspeed' picks its GPUs itself when given --num_gpus, so CUDA_VISIBLE_DEVICES would not exclude one;"
                        + " not rewriting its GPU list",
                cannot("deepspeed --num_gpus 4 train.py --deepspeed ds.json", "0,1,2,3", "GPU 3 has fallen off the bus"));
        assertEquals("'accelerate' picks its GPUs itself when given --gpu_ids, so CUDA_VISIBLE_DEVICES would not exclude one;"
                        + " not rewriting its GPU list",
                cannot("accelerate launch --gpu_ids=0,1 train.py", "0,1,2,3", "GPU 1 has fallen off the bus"));
        assertEquals("'yolo' picks its GPUs itself when given device, so CUDA_VISIBLE_DEVICES would not exclude one;"
                        + " not rewriting its GPU list",
                cannot("yolo train model=yolov8n.pt data=coco8.yaml device=0,1 workers=8", "0,1", "GPU 1 has fallen off the bus"));
        assertEquals("argv[4] --trainer.devices is '[0,1,2,3]', which names GPUs itself; not rewriting it",
                cannot("python main.py fit --trainer.devices [0,1,2,3]", "0,1,2,3", "GPU 1 has fallen off the bus"));
    }
}
