package dev.medic.fix;

import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReduceWorkersTest {
    private static FixPlan plan(String cmd, Map<String, String> env, Map<String, Object> params) {
        return FixPlans.plan(new ReduceWorkers(), FixPlans.argv(cmd), env, params);
    }

    private static List<String> next(String cmd) {
        FixPlan p = plan(cmd, Map.of("OMP_NUM_THREADS", "4"), Map.of());
        RunSpec n = assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change for: " + cmd + " but " + p).next();
        assertEquals(Map.of("OMP_NUM_THREADS", "4"), n.getEnv());
        return n.getArgv();
    }

    private static String cannot(String cmd) {
        FixPlan p = plan(cmd, Map.of(), Map.of());
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected no change for: " + cmd + " but " + p).reason();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // timm
            "python train.py /imagenet --model resnet50 --lr 0.05 --clip-grad 1.0 -j 8 | python train.py /imagenet --model resnet50 --lr 0.05 --clip-grad 1.0 -j 4",
            // HF TrainingArguments
            "python run_glue.py --model_name_or_path bert-base-cased --learning_rate 2e-5 --max_grad_norm 1.0 --dataloader_num_workers 8 --fp16 | python run_glue.py --model_name_or_path bert-base-cased --learning_rate 2e-5 --max_grad_norm 1.0 --dataloader_num_workers 4 --fp16",
            "accelerate launch --config_file acc.yaml --num_processes 2 train.py --dataloader-num-workers=6 | accelerate launch --config_file acc.yaml --num_processes 2 train.py --dataloader-num-workers=3",
            // torchvision reference scripts, launchers: --nproc_per_node is not a worker count
            "torchrun --nproc_per_node 8 train.py --model resnet50 --workers 16 --batch-size 32 | torchrun --nproc_per_node 8 train.py --model resnet50 --workers 8 --batch-size 32",
            "deepspeed --num_gpus 4 train.py --deepspeed ds.json --num_workers 3 | deepspeed --num_gpus 4 train.py --deepspeed ds.json --num_workers 1",
            "python train.py --num-workers=4 --seed 4 | python train.py --num-workers=2 --seed 4",
            "python -m pkg.train --num_workers 1 | python -m pkg.train --num_workers 0",
            // Hydra, Lightning CLI, Ultralytics
            "python src/train.py experiment=example data.num_workers=16 trainer.devices=4 | python src/train.py experiment=example data.num_workers=8 trainer.devices=4",
            "python main.py fit --data.num_workers 6 --data.batch_size 6 | python main.py fit --data.num_workers 3 --data.batch_size 6",
            "yolo train model=yolov8n.pt data=coco8.yaml lr0=0.01 workers=8 | yolo train model=yolov8n.pt data=coco8.yaml lr0=0.01 workers=4",
            "python tools/train.py configs/mask_rcnn.py --cfg-options train_dataloader.num_workers=2 | python tools/train.py configs/mask_rcnn.py --cfg-options train_dataloader.num_workers=1",
            "env NUM_WORKERS=4 python train.py | env NUM_WORKERS=2 python train.py",
            // every occurrence, and a 0 among them stays 0
            "python train.py --workers 4 --workers 0 | python train.py --workers 2 --workers 0",
    })
    void halvesEveryWorkerCountAndNothingElse(String before, String after) {
        assertEquals(FixPlans.argv(after), next(before));
    }

    @Test
    void halvesTheEnvironmentVariable() {
        FixPlan p = plan("python train.py", Map.of("NUM_WORKERS", "5", "DATALOADER_NUM_WORKERS", "1", "HOME", "/root"), Map.of());
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, p);
        assertEquals(Map.of("NUM_WORKERS", "2", "DATALOADER_NUM_WORKERS", "0", "HOME", "/root"), c.next().getEnv());
        assertEquals(List.of("env DATALOADER_NUM_WORKERS: 1 -> 0", "env NUM_WORKERS: 5 -> 2"), c.changes());
    }

    @Test
    void cannotGoBelowZeroOrTheMinimum() {
        assertEquals("the data-loader workers are already at their minimum of 0 (argv[3] --num_workers 0)",
                cannot("python train.py --num_workers 0"));
        FixPlan p = plan("python train.py -j 3", Map.of(), Map.of("min", 2));
        assertEquals(FixPlans.argv("python train.py -j 2"), assertInstanceOf(FixPlan.Change.class, p).next().getArgv());
        p = plan("python train.py -j 2", Map.of(), Map.of("min", 2));
        assertInstanceOf(FixPlan.Cannot.class, p);
    }

    @Test
    void neverGuessesAFlag() {
        String why = cannot("python train.py --batch-size 64 --nproc_per_node 8");
        assertTrue(why.startsWith("no data-loader worker count found in the command (looked for --dataloader-num-workers, "), why);
        assertTrue(why.endsWith("not guessing a flag"), why);
    }

    @Test
    void reportsEachChange() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan("python train.py -j 8 data.num_workers=3", Map.of(), Map.of()));
        assertEquals(List.of("argv[3] -j: 8 -> 4", "argv[4] data.num_workers: 3 -> 1"), c.changes());
    }
}
