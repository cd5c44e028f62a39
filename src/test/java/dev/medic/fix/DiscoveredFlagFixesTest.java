package dev.medic.fix;

import dev.medic.discover.ProgramFlags;
import dev.medic.discover.SourceFlags;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixes that add a flag the command does not give, from what discovery learnt of the program. */
class DiscoveredFlagFixesTest {
    private static ProgramFlags source(String python) {
        return SourceFlags.read(Path.of("/tmp/train.py"), python);
    }

    private static final ProgramFlags ARGPARSE = source("""
            import argparse
            p = argparse.ArgumentParser()
            p.add_argument('--batch-size', type=int, default=64)
            p.add_argument('--lr', type=float, default=3e-4)
            p.add_argument('--max-grad-norm', '--max_grad_norm', type=float, default=None)
            """);

    private static FixPlan.Change change(FixExecutor fix, String cmd, ProgramFlags program) {
        FixPlan p = FixPlans.planKnowing(fix, cmd, program);
        return assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change but " + p);
    }

    private static String cannot(FixExecutor fix, String cmd, ProgramFlags program) {
        FixPlan p = FixPlans.planKnowing(fix, cmd, program);
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected no change but " + p).reason();
    }

    @Test
    void clippingAddsTheFlagTheProgramDeclares() {
        FixPlan.Change c = change(new GradientClipping(), "python train.py --lr 5", ARGPARSE);
        assertEquals(List.of("python", "train.py", "--lr", "5", "--max-grad-norm", "1.0"), c.next().getArgv());
        assertEquals(List.of("argv[4] --max-grad-norm 1.0 added (no clipping flag was given; the program's default is None,"
                + " learnt from its argparse source)"), c.changes());
    }

    @Test
    void clippingAlreadyOnByDefaultIsTightened() {
        ProgramFlags hf = source("from transformers import HfArgumentParser, TrainingArguments\nHfArgumentParser(TrainingArguments)\n");
        FixPlan.Change c = change(new GradientClipping(), "python train.py --learning_rate 1", hf);
        assertEquals(List.of("python", "train.py", "--learning_rate", "1", "--max_grad_norm", "0.5"), c.next().getArgv());
    }

    @Test
    void clippingForLightningAndHydra() {
        ProgramFlags cli = source("from lightning.pytorch.cli import LightningCLI\nLightningCLI(M)\n");
        assertEquals(List.of("python", "main.py", "fit", "--trainer.gradient_clip_val", "1.0"),
                change(new GradientClipping(), "python main.py fit", cli).next().getArgv());
        ProgramFlags hydra = new ProgramFlags("/tmp/app.py", "source", Map.of(), List.of(), true,
                Map.of("optim.grad_clip", "2.0", "batch_size", "64"), null);
        assertEquals(List.of("python", "app.py", "++optim.grad_clip=1.0"),
                change(new GradientClipping(), "python app.py", hydra).next().getArgv());
        ProgramFlags bare = new ProgramFlags("/tmp/app.py", "source", Map.of(), List.of(), true, Map.of(), null);
        assertEquals(List.of("python", "app.py", "++trainer.gradient_clip_val=1.0"),
                change(new GradientClipping(), "python app.py", bare).next().getArgv());
    }

    @Test
    void aFlagTheProgramDoesNotAcceptIsNeverAdded() {
        ProgramFlags noClip = source("import argparse\np = argparse.ArgumentParser()\np.add_argument('--seed', default=0)\n");
        // --output_dir would make the HF style guess --max_grad_norm; the program is known not to take it
        String why = cannot(new GradientClipping(), "python train.py --output_dir out", noClip);
        assertTrue(why.contains("shows none it accepts"), why);
        assertTrue(cannot(new ReduceBatchSize(), "python train.py", noClip).contains("shows no such flag"));
        assertTrue(cannot(new ScaleLearningRate(), "python train.py", noClip).contains("shows no such flag"));
    }

    @Test
    void batchFlagAddedAtHalfTheDefault() {
        FixPlan.Change c = change(new ReduceBatchSize(), "python train.py --lr 0.1", ARGPARSE);
        assertEquals(List.of("python", "train.py", "--lr", "0.1", "--batch-size", "32"), c.next().getArgv());
        assertEquals(List.of("argv[4] --batch-size 32 added (the program's default is 64, learnt from its argparse source)"), c.changes());
    }

    @Test
    void batchAndAccumulationKeepTheEffectiveBatch() {
        ProgramFlags hf = source("from transformers import HfArgumentParser, TrainingArguments\nHfArgumentParser(TrainingArguments)\n");
        FixPlan.Change c = change(new ReduceBatchSize(), "python train.py --output_dir out", hf);
        assertEquals(List.of("python", "train.py", "--output_dir", "out", "--per_device_train_batch_size", "4",
                "--gradient_accumulation_steps", "2"), c.next().getArgv());
        assertTrue(c.changes().get(1).endsWith("learnt from its HfArgumentParser over TrainingArguments; effective batch unchanged)"),
                c.changes().toString());
    }

    @Test
    void aBatchSizeInTheCommandStillWins() {
        FixPlan.Change c = change(new ReduceBatchSize(), "python train.py --batch-size 16", ARGPARSE);
        assertEquals(List.of("python", "train.py", "--batch-size", "8"), c.next().getArgv());
    }

    @Test
    void learningRateAddedAtTheScaledDefault() {
        FixPlan.Change c = change(new ScaleLearningRate(), "python train.py", ARGPARSE);
        assertEquals(List.of("python", "train.py", "--lr", "1.5e-4"), c.next().getArgv());
        assertEquals(List.of("argv[2] --lr 1.5e-4 added (the program's default is 3e-4, learnt from its argparse source)"), c.changes());
    }

    /** The declarations of train_mlp.py, the H200 run that diverged at --lr 5 and was not clipped before discovery (issue 16). */
    private static final ProgramFlags TRAIN_MLP = source("""
            import argparse, sys, torch
            p = argparse.ArgumentParser()
            p.add_argument("--batch-size", type=int, default=256)
            p.add_argument("--gradient-accumulation-steps", type=int, default=1)
            p.add_argument("--steps", type=int, default=20)
            p.add_argument("--lr", type=float, default=1e-3)
            p.add_argument("--max-grad-norm", "--max_grad_norm", dest="max_grad_norm", type=float, default=None)
            p.add_argument("--device", default="cuda")
            p.add_argument("--hidden", type=int, default=8192)
            a = p.parse_args()
            """);

    @Test
    void theH200DivergenceGetsClippedAndItsOomKeepsTheEffectiveBatch() {
        assertEquals(List.of("python3", "train_mlp.py", "--lr", "5", "--max-grad-norm", "1.0"),
                change(new GradientClipping(), "python3 train_mlp.py --lr 5", TRAIN_MLP).next().getArgv());
        assertEquals(List.of("python3", "train_mlp.py", "--hidden", "65536", "--batch-size", "128", "--gradient-accumulation-steps", "2"),
                change(new ReduceBatchSize(), "python3 train_mlp.py --hidden 65536", TRAIN_MLP).next().getArgv());
    }

    @Test
    void nothingLearntChangesNothing() {
        String why = cannot(new ReduceBatchSize(), "python train.py", ProgramFlags.none("the source declares no flags"));
        assertTrue(why.endsWith("not guessing a flag (the source declares no flags)"), why);
    }
}
