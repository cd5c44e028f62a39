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

class ScaleLearningRateTest {
    private static FixPlan plan(String cmd, Map<String, String> env, Map<String, Object> params) {
        return FixPlans.plan(new ScaleLearningRate(), FixPlans.argv(cmd), env, params);
    }

    private static List<String> next(String cmd) {
        return next(cmd, Map.of());
    }

    private static List<String> next(String cmd, Map<String, Object> params) {
        FixPlan p = plan(cmd, Map.of("PATH", "/usr/bin"), params);
        RunSpec n = assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change for: " + cmd + " but " + p).next();
        assertEquals(Map.of("PATH", "/usr/bin"), n.getEnv());
        return n.getArgv();
    }

    private static String cannot(String cmd) {
        FixPlan p = plan(cmd, Map.of(), Map.of());
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected no change for: " + cmd + " but " + p).reason();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "python train.py --lr 0.001 --epochs 90 | python train.py --lr 0.0005 --epochs 90",
            "python train.py --lr=3e-4 | python train.py --lr=1.5e-4",
            // timm: --warmup-lr and --min-lr are not the learning rate
            "python train.py /imagenet --model resnet50 --lr 0.05 --warmup-lr 1e-6 --min-lr 1e-5 --clip-grad 1.0 -j 8 | python train.py /imagenet --model resnet50 --lr 0.025 --warmup-lr 1e-6 --min-lr 1e-5 --clip-grad 1.0 -j 8",
            // fairseq
            "fairseq-train data-bin/iwslt14 --arch transformer_iwslt_de_en --lr 5e-4 --clip-norm 0.1 --lr-scheduler inverse_sqrt | fairseq-train data-bin/iwslt14 --arch transformer_iwslt_de_en --lr 2.5e-4 --clip-norm 0.1 --lr-scheduler inverse_sqrt",
            // HF TrainingArguments
            "python run_glue.py --model_name_or_path bert-base-cased --learning_rate 2e-5 --max_grad_norm 1.0 --dataloader_num_workers 8 --fp16 | python run_glue.py --model_name_or_path bert-base-cased --learning_rate 1e-5 --max_grad_norm 1.0 --dataloader_num_workers 8 --fp16",
            "accelerate launch --config_file acc.yaml train.py --learning_rate=5e-5 --lr_scheduler_type cosine | accelerate launch --config_file acc.yaml train.py --learning_rate=2.5e-5 --lr_scheduler_type cosine",
            "deepspeed --num_gpus 4 train.py --deepspeed ds.json --learning-rate 1.0e-4 | deepspeed --num_gpus 4 train.py --deepspeed ds.json --learning-rate 5.0e-5",
            "torchrun --nproc_per_node 8 train.py --base-lr 0.1 --max-lr 1 | torchrun --nproc_per_node 8 train.py --base-lr 0.05 --max-lr 0.5",
            // Hydra / OmegaConf: scheduler.min_lr is not the learning rate
            "python src/train.py experiment=example model.optimizer.lr=0.002 | python src/train.py experiment=example model.optimizer.lr=0.001",
            "python train.py optimizer.lr=1e-3 scheduler.min_lr=1e-6 | python train.py optimizer.lr=5e-4 scheduler.min_lr=1e-6",
            "python train.py +base_lr=0.4 | python train.py +base_lr=0.2",
            // Lightning CLI
            "python main.py fit --model.learning_rate 1e-3 --trainer.max_epochs 5 | python main.py fit --model.learning_rate 5e-4 --trainer.max_epochs 5",
            "python main.py fit --optimizer Adam --optimizer.lr=0.1 | python main.py fit --optimizer Adam --optimizer.lr=0.05",
            // Ultralytics and mmdet
            "yolo train model=yolov8n.pt data=coco8.yaml lr0=0.01 workers=8 | yolo train model=yolov8n.pt data=coco8.yaml lr0=0.005 workers=8",
            "python tools/train.py configs/retinanet_r50.py --cfg-options optim_wrapper.optimizer.lr=0.02 | python tools/train.py configs/retinanet_r50.py --cfg-options optim_wrapper.optimizer.lr=0.01",
            "python -m pkg.train --lr 1 | python -m pkg.train --lr 0.5",
            // style: upper-case E and a zero-padded exponent are kept; 2.0 keeps its point
            "python train.py --lr 1E-3 | python train.py --lr 5E-4",
            "python train.py --lr 6e-04 | python train.py --lr 3e-04",
            "python train.py --lr 2.0 | python train.py --lr 1.0",
            "python train.py --lr .1 | python train.py --lr 0.05",
            "env LEARNING_RATE=0.01 python train.py | env LEARNING_RATE=0.005 python train.py",
    })
    void scalesEveryLearningRateAndNothingElse(String before, String after) {
        assertEquals(FixPlans.argv(after), next(before));
    }

    @Test
    void scalesTheEnvironmentVariable() {
        FixPlan p = plan("python train.py", Map.of("LEARNING_RATE", "3e-4", "HOME", "/root"), Map.of());
        RunSpec n = assertInstanceOf(FixPlan.Change.class, p).next();
        assertEquals(Map.of("LEARNING_RATE", "1.5e-4", "HOME", "/root"), n.getEnv());
        assertEquals(FixPlans.argv("python train.py"), n.getArgv());
    }

    @Test
    void factorAndMinimumComeFromTheSettings() {
        assertEquals(FixPlans.argv("python train.py --lr 0.01"), next("python train.py --lr 0.1", Map.of("factor", 0.1)));
        assertEquals(FixPlans.argv("python train.py --lr 0.0333333"), next("python train.py --lr 0.1", Map.of("factor", 0.333333333)));
        assertTrue(cannot("python train.py --lr 1e-8").startsWith("the learning rate is already at its minimum (argv[3] --lr 1e-8;"));
        assertTrue(cannot("python train.py --lr 0").contains("minimum"));
        FixPlan p = plan("python train.py --lr 1e-3", Map.of(), Map.of("min", 1e-3));
        assertInstanceOf(FixPlan.Cannot.class, p);
    }

    @Test
    void neverAddsALearningRate() {
        String why = cannot("python train.py --epochs 3 --lr-scheduler cosine --warmup_lr 1e-6");
        assertTrue(why.startsWith("no learning rate found in the command (looked for --base-lr, "), why);
        assertTrue(why.endsWith("a learning rate is added only where the program was learnt to accept one"), why);
    }

    @Test
    void reportsEachChange() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan("python train.py --lr 0.001 model.optimizer.lr=3e-4", Map.of(), Map.of()));
        assertEquals(List.of("argv[3] --lr: 0.001 -> 0.0005", "argv[4] model.optimizer.lr: 3e-4 -> 1.5e-4"), c.changes());
    }
}
