package dev.medic.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientClippingTest {
    private static FixPlan plan(String cmd, Map<String, Object> params) {
        return FixPlans.plan(new GradientClipping(), FixPlans.argv(cmd), Map.of("HOME", "/root"), params);
    }

    private static FixPlan.Change change(String cmd, Map<String, Object> params) {
        FixPlan p = plan(cmd, params);
        return assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change for: " + cmd + " but " + p);
    }

    private static List<String> next(String cmd) {
        return next(cmd, Map.of());
    }

    private static List<String> next(String cmd, Map<String, Object> params) {
        FixPlan.Change c = change(cmd, params);
        assertEquals(Map.of("HOME", "/root"), c.next().getEnv());
        return c.next().getArgv();
    }

    private static String cannot(String cmd, Map<String, Object> params) {
        FixPlan p = plan(cmd, params);
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected no change for: " + cmd + " but " + p).reason();
    }

    private static List<String> argv(String cmd) {
        return List.of(cmd.strip().split(" +"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // timm
            "python train.py /imagenet --model resnet50 --lr 0.05 --clip-grad 1.0 --clip-mode norm -j 8 | python train.py /imagenet --model resnet50 --lr 0.05 --clip-grad 0.5 --clip-mode norm -j 8",
            // fairseq
            "fairseq-train data-bin/iwslt14.tokenized.de-en --arch transformer_iwslt_de_en --optimizer adam --lr 5e-4 --clip-norm 0.1 --max-tokens 4096 | fairseq-train data-bin/iwslt14.tokenized.de-en --arch transformer_iwslt_de_en --optimizer adam --lr 5e-4 --clip-norm 0.05 --max-tokens 4096",
            // HF TrainingArguments
            "python run_glue.py --model_name_or_path bert-base-cased --task_name mrpc --learning_rate 2e-5 --max_grad_norm 1.0 --dataloader_num_workers 8 --fp16 --output_dir /tmp/mrpc | python run_glue.py --model_name_or_path bert-base-cased --task_name mrpc --learning_rate 2e-5 --max_grad_norm 0.5 --dataloader_num_workers 8 --fp16 --output_dir /tmp/mrpc",
            // Hydra (lightning-hydra-template)
            "python src/train.py experiment=example trainer.gradient_clip_val=0.5 model.optimizer.lr=0.002 | python src/train.py experiment=example trainer.gradient_clip_val=0.25 model.optimizer.lr=0.002",
            "python train.py +trainer.gradient_clip_val=1 | python train.py +trainer.gradient_clip_val=0.5",
            // Lightning CLI
            "python main.py fit --trainer.gradient_clip_val 1.0 --trainer.max_epochs 10 | python main.py fit --trainer.gradient_clip_val 0.5 --trainer.max_epochs 10",
            "python main.py fit --config config.yaml --trainer.gradient_clip_val=2 | python main.py fit --config config.yaml --trainer.gradient_clip_val=1",
            // launchers
            "torchrun --nproc_per_node 8 train.py --max-grad-norm=2.0 --batch-size 64 | torchrun --nproc_per_node 8 train.py --max-grad-norm=1.0 --batch-size 64",
            "accelerate launch --config_file acc.yaml train.py --max_grad_norm 1 --mixed_precision bf16 | accelerate launch --config_file acc.yaml train.py --max_grad_norm 0.5 --mixed_precision bf16",
            "deepspeed --num_gpus 4 train.py --deepspeed ds.json --clip_grad_norm 0.3 | deepspeed --num_gpus 4 train.py --deepspeed ds.json --clip_grad_norm 0.15",
            "python -m pkg.train --grad_clip 5.0 --epochs 90 | python -m pkg.train --grad_clip 2.5 --epochs 90",
            "python -m torch.distributed.run --nproc_per_node=2 train.py --grad-clip 10 | python -m torch.distributed.run --nproc_per_node=2 train.py --grad-clip 5",
            "python train.py --gradient_clip_val=1e-1 | python train.py --gradient_clip_val=5e-2",
            "python train.py --clip_norm 0.25 | python train.py --clip_norm 0.125",
    })
    void scalesEveryClippingValueAndNothingElse(String before, String after) {
        assertEquals(argv(after), next(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // HF: max_grad_norm 0 turns clipping off
            "python run_clm.py --model_name_or_path gpt2 --max_grad_norm 0 --output_dir out | python run_clm.py --model_name_or_path gpt2 --max_grad_norm 1.0 --output_dir out",
            "python run_clm.py --max_grad_norm=0.0 | python run_clm.py --max_grad_norm=1.0",
            // fairseq's --clip-norm 0 is off too
            "fairseq-train data-bin/wmt16 --clip-norm 0 --lr 0.0005 | fairseq-train data-bin/wmt16 --clip-norm 1.0 --lr 0.0005",
            // Lightning: null / None
            "python main.py fit --trainer.gradient_clip_val null | python main.py fit --trainer.gradient_clip_val 1.0",
            "python train.py trainer.gradient_clip_val=None trainer.max_epochs=5 | python train.py trainer.gradient_clip_val=1.0 trainer.max_epochs=5",
            "python train.py --clip-grad -1 | python train.py --clip-grad 1.0",
    })
    void turnsClippingOnWhereItWasOff(String before, String after) {
        assertEquals(argv(after), next(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // HF TrainingArguments style
            "python run_clm.py --model_name_or_path gpt2 --output_dir /tmp/out --per_device_train_batch_size 8 | python run_clm.py --model_name_or_path gpt2 --output_dir /tmp/out --per_device_train_batch_size 8 --max_grad_norm 1.0",
            "accelerate launch --config_file acc.yaml run_mlm.py --model_name_or_path roberta-base --output_dir=out | accelerate launch --config_file acc.yaml run_mlm.py --model_name_or_path roberta-base --output_dir=out --max_grad_norm 1.0",
            "deepspeed --num_gpus 4 train.py --deepspeed ds.json --learning_rate 1e-5 | deepspeed --num_gpus 4 train.py --deepspeed ds.json --learning_rate 1e-5 --max_grad_norm 1.0",
            "torchrun --nproc_per_node 8 run_translation.py --per_device_train_batch_size 4 --predict_with_generate | torchrun --nproc_per_node 8 run_translation.py --per_device_train_batch_size 4 --predict_with_generate --max_grad_norm 1.0",
            // Lightning CLI
            "python main.py fit --config config.yaml | python main.py fit --config config.yaml --trainer.gradient_clip_val 1.0",
            "python cli.py --trainer.max_epochs 10 --model.lr 0.01 | python cli.py --trainer.max_epochs 10 --model.lr 0.01 --trainer.gradient_clip_val 1.0",
            // Hydra
            "python train.py model=resnet50 trainer.max_epochs=10 | python train.py model=resnet50 trainer.max_epochs=10 ++trainer.gradient_clip_val=1.0",
            "python src/train.py experiment=example | python src/train.py experiment=example ++trainer.gradient_clip_val=1.0",
            "python -m pkg.train -m seed=1,2,3 | python -m pkg.train -m seed=1,2,3 ++trainer.gradient_clip_val=1.0",
    })
    void addsTheFlagOfTheCommandsStyleWhenNoneIsGiven(String before, String after) {
        assertEquals(argv(after), next(before));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "python train.py --epochs 10 --lr 0.1",
            // Ultralytics takes key=value, but it is not Hydra: an unknown key is an error there
            "yolo train model=yolov8n.pt data=coco8.yaml lr0=0.01 workers=8",
            // mmdet --cfg-options takes key=value pairs of its own config
            "python tools/train.py configs/faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py --cfg-options optim_wrapper.optimizer.lr=0.01",
            // an environment assignment in argv is not an override
            "env CUDA_VISIBLE_DEVICES=0 python train.py --epochs 3",
            // a --mode fit flag value is not the Lightning subcommand
            "python train.py --mode fit",
    })
    void refusesToGuessForCommandsOfUnknownStyle(String cmd) {
        assertEquals("no clipping flag found and the command's style is unknown; not guessing", cannot(cmd, Map.of()));
    }

    @Test
    void addsNothingWhenTheSettingsDoNotAllowIt() {
        String why = cannot("python run_clm.py --output_dir out", Map.of("add_when_missing", false));
        assertTrue(why.startsWith("no clipping flag found in the command (looked for --clip-grad"), why);
        assertTrue(why.contains("add_when_missing is off"), why);
    }

    @Test
    void stopsAtTheMinimumAndAtValuesItDoesNotUnderstand() {
        assertEquals("the clipping norm is already at its minimum (argv[3] --clip-grad 0.001, min 0.001)",
                cannot("python train.py --clip-grad 0.001", Map.of()));
        assertEquals("argv[3] --clip-grad is '${CLIP}', not a number; not changing it",
                cannot("python train.py --clip-grad ${CLIP}", Map.of()));
    }

    @Test
    void factorValueAndFlagsComeFromTheSettings() {
        assertEquals(argv("python train.py --clip-grad 0.25"), next("python train.py --clip-grad 1.0", Map.of("factor", 0.25)));
        assertEquals(argv("python run.py --output_dir o --max_grad_norm 0.5"),
                next("python run.py --output_dir o", Map.of("default_value", 0.5)));
        assertEquals(argv("python run.py --output_dir o --max-grad-norm 1.0"),
                next("python run.py --output_dir o", Map.of("default_flag", "--max-grad-norm")));
        assertEquals(argv("python train.py a=1 trainer.gradient_clip_val=1.0"),
                next("python train.py a=1", Map.of("hydra_override", "trainer.gradient_clip_val")));
    }

    @Test
    void reportsEachChange() {
        assertEquals(List.of("argv[3] --clip-grad: 1.0 -> 0.5", "argv[4] trainer.gradient_clip_val: 0 -> 1.0 (clipping was off)"),
                change("python train.py --clip-grad 1.0 trainer.gradient_clip_val=0", Map.of()).changes());
        assertEquals(List.of("argv[4] added --max_grad_norm 1.0 (no clipping flag was given; HF TrainingArguments style, as --output_dir shows)"),
                change("python run.py --output_dir out", Map.of()).changes());
    }
}
