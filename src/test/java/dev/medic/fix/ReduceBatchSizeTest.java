package dev.medic.fix;

import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReduceBatchSizeTest {
    private static FixPlan plan(List<String> argv, Map<String, String> env, Map<String, Object> params) {
        return FixPlans.plan(new ReduceBatchSize(), argv, env, params);
    }

    private static List<String> next(String cmd) {
        return next(cmd, Map.of());
    }

    private static List<String> next(String cmd, Map<String, Object> params) {
        FixPlan p = plan(Arrays.asList(cmd.split(" ")), Map.of(), params);
        return assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change for: " + cmd + " but " + p)
                .next().getArgv();
    }

    private static String cannot(String cmd) {
        FixPlan p = plan(Arrays.asList(cmd.split(" ")), Map.of(), Map.of());
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected no change for: " + cmd).reason();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "python train.py --batch-size 64 --lr 3e-4            | python train.py --batch-size 32 --lr 3e-4",
            "python train.py --batch_size 64                      | python train.py --batch_size 32",
            "python train.py --batch-size=64 --epochs 3           | python train.py --batch-size=32 --epochs 3",
            "python train.py --batch_size=64                      | python train.py --batch_size=32",
            "python train.py -b 64 --data /data                   | python train.py -b 32 --data /data",
            "python train.py --bs 64                              | python train.py --bs 32",
            "python train.py --batchsize 64                       | python train.py --batchsize 32",
            "python run_clm.py --per_device_train_batch_size 16 --per_device_eval_batch_size 16 | python run_clm.py --per_device_train_batch_size 8 --per_device_eval_batch_size 16",
            "python finetune.py --train_batch_size 64             | python finetune.py --train_batch_size 32",
            "python finetune.py --train-batch-size=64             | python finetune.py --train-batch-size=32",
            "python pretrain_gpt.py --micro-batch-size 4 --global-batch-size 256 | python pretrain_gpt.py --micro-batch-size 2 --global-batch-size 256",
            "python train.py batch_size=64 model=resnet50         | python train.py batch_size=32 model=resnet50",
            "python train.py trainer.batch_size=64                | python train.py trainer.batch_size=32",
            "python train.py +data.batch_size=64                  | python train.py +data.batch_size=32",
            "python train.py ++datamodule.batch_size=64           | python train.py ++datamodule.batch_size=32",
            "python main.py fit --data.batch_size 64              | python main.py fit --data.batch_size 32",
            "python main.py fit --data.init_args.batch_size=64    | python main.py fit --data.init_args.batch_size=32",
            "yolo train model=yolov8n.pt batch=16 imgsz=640       | yolo train model=yolov8n.pt batch=8 imgsz=640",
            "torchrun --nproc_per_node 8 train.py --batch-size 64 | torchrun --nproc_per_node 8 train.py --batch-size 32",
            "accelerate launch --num_processes 2 train.py --per_device_train_batch_size 32 | accelerate launch --num_processes 2 train.py --per_device_train_batch_size 16",
            "python -m pkg.train --batch-size 7                   | python -m pkg.train --batch-size 3",
            "env BATCH_SIZE=64 python train.py                    | env BATCH_SIZE=32 python train.py",
    })
    void halvesEverySpelling(String before, String after) {
        assertEquals(List.of(after.strip().split(" ")), next(before.strip()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "python train.py --batch-size 64 --gradient_accumulation_steps 2      | python train.py --batch-size 32 --gradient_accumulation_steps 4",
            "python train.py --per_device_train_batch_size 8 --gradient-accumulation-steps=4 | python train.py --per_device_train_batch_size 4 --gradient-accumulation-steps=8",
            "python train.py --bs 64 --grad-accum 1                               | python train.py --bs 32 --grad-accum 2",
            "python main.py fit --data.batch_size 32 --trainer.accumulate_grad_batches 2 | python main.py fit --data.batch_size 16 --trainer.accumulate_grad_batches 4",
            "python train.py batch_size=64 trainer.accumulate_grad_batches=1      | python train.py batch_size=32 trainer.accumulate_grad_batches=2",
            "python train.py --batch-size 3 --accumulate_grad_batches 1           | python train.py --batch-size 1 --accumulate_grad_batches 3",
            "fairseq-train data --batch-size 12 --update-freq 2                   | fairseq-train data --batch-size 6 --update-freq 4",
    })
    void keepsTheEffectiveBatchWithAccumulation(String before, String after) {
        assertEquals(List.of(after.strip().split(" ")), next(before.strip()));
    }

    @Test
    void effectiveBatchStaysExactForOddSizes() {
        // 12 * 0.5 = 6 divides 12; 10 -> 5; 7 has no divisor between 1 and 3.5 but 1
        assertEquals(List.of("t", "--bs", "6", "--grad-accum", "2"), next("t --bs 12 --grad-accum 1"));
        assertEquals(List.of("t", "--bs", "5", "--grad-accum", "2"), next("t --bs 10 --grad-accum 1"));
        assertEquals(List.of("t", "--bs", "1", "--grad-accum", "7"), next("t --bs 7 --grad-accum 1"));
    }

    @Test
    void environmentVariablesAreHalvedInTheNextAttemptsCopy() {
        Map<String, String> env = Map.of("BATCH_SIZE", "48", "GRADIENT_ACCUMULATION_STEPS", "2", "HOME", "/root");
        FixPlan p = plan(List.of("python", "train.py"), env, Map.of());
        RunSpec next = assertInstanceOf(FixPlan.Change.class, p).next();
        assertEquals("24", next.getEnv().get("BATCH_SIZE"));
        assertEquals("4", next.getEnv().get("GRADIENT_ACCUMULATION_STEPS"));
        assertEquals("/root", next.getEnv().get("HOME"));
        assertEquals(List.of("python", "train.py"), next.getArgv());
    }

    @Test
    void factorAndMinimumComeFromTheLadderParams() {
        assertEquals(List.of("t", "--bs", "16"), next("t --bs 64", Map.of("factor", 0.25)));
        assertEquals(List.of("t", "--bs", "8"), next("t --bs 12", Map.of("min", 8)));
        assertTrue(cannot("t --bs 1").contains("minimum"));
    }

    @Test
    void refusesToGuessAFlagWhenTheCommandHasNone() {
        String why = cannot("python train.py --lr 3e-4 --epochs 10");
        assertTrue(why.contains("no batch size found"), why);
        assertTrue(why.contains("not guessing"), why);
    }

    @Test
    void leavesLookalikesAndOtherArgumentsExactlyAsTheyWere() {
        // python's own -b takes no value; --batch-size-eval is not the training batch; a path is not a number
        assertTrue(cannot("python -b train.py --eval_batch_size 64 --batch-size-eval 8").contains("no batch size"));
        assertEquals(List.of("python", "-u", "train.py", "--batch-size", "32", "--out", "runs/bs=64", "--seed", "64"),
                next("python -u train.py --batch-size 64 --out runs/bs=64 --seed 64"));
        // every occurrence is rewritten: argparse takes the last one
        assertEquals(List.of("t", "--bs", "32", "--bs", "16"), next("t --bs 64 --bs 32"));
    }

    @Test
    void deepspeedLauncherWithConfigFlagKeepsTheConfigPath() {
        assertEquals(List.of("deepspeed", "--num_gpus", "2", "train.py", "--deepspeed", "ds.json", "--per_device_train_batch_size", "4"),
                next("deepspeed --num_gpus 2 train.py --deepspeed ds.json --per_device_train_batch_size 8"));
    }

    @Test
    void reportsEachChange() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan(List.of("t", "--bs", "64", "--grad-accum", "2"), Map.of(), Map.of()));
        assertEquals(List.of("argv[2] --bs: 64 -> 32", "argv[4] --grad-accum: 2 -> 4 (effective batch unchanged)"), c.changes());
    }
}
