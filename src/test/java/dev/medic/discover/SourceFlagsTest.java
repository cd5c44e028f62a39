package dev.medic.discover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceFlagsTest {
    @TempDir
    Path tmp;

    private ProgramFlags read(String source) {
        return SourceFlags.read(tmp.resolve("train.py"), source);
    }

    @Test
    void argparseOptionStringsDefaultsTypesAndDestAsDeclared() {
        ProgramFlags f = read("""
                import argparse
                p = argparse.ArgumentParser()
                p.add_argument('--batch-size', '--bs', type=int, default=64, help='batch (default: %(default)s)')
                p.add_argument("--lr", dest="learning_rate", type=float, default=3e-4)
                p.add_argument('--max_grad_norm', type=float,
                               default=None)  # a comment, with a comma
                p.add_argument('--amp', action='store_true')
                p.add_argument('data')
                a = p.parse_args()
                """);
        assertTrue(f.discovered());
        assertNull(f.why(), "every option string is a literal: conclusive");
        assertEquals("64", f.flag("--batch-size").defaultValue());
        assertEquals("int", f.flag("--bs").type());
        assertEquals("3e-4", f.flag("--lr").defaultValue());
        assertEquals("None", f.flag("--max_grad_norm").defaultValue());
        assertEquals("False", f.flag("--amp").defaultValue());
        assertFalse(f.accepts("--batch_size"), "the other spelling is another flag");
        assertFalse(f.accepts("--batch"), "an abbreviation argparse would take is not relied on");
        assertFalse(f.accepts("data"));
        assertEquals("its argparse source", f.flag("--lr").learntFrom());
    }

    @Test
    void aComputedOptionNameMakesTheReadingInconclusive() {
        ProgramFlags f = read("""
                import argparse
                p = argparse.ArgumentParser()
                for name in ['batch-size', 'lr']:
                    p.add_argument('--' + name, type=float, default=1)
                p.add_argument('--seed', type=int, default=0)
                """);
        assertTrue(f.accepts("--seed"));
        assertNotNull(f.why());
        assertTrue(f.why().contains("computed"), f.why());
    }

    @Test
    void flagsDefinedInAnImportedModuleAreNotConclusive() {
        ProgramFlags f = read("from mylib import parser\nargs = parser.parse_args()\n");
        assertFalse(f.discovered());
        assertNotNull(f.why());
    }

    @Test
    void clickOptions() {
        ProgramFlags f = read("""
                import click
                @click.command()
                @click.option('--lr', '-l', 'learning_rate', default=0.001, type=float)
                @click.option('--amp/--no-amp', default=False)
                def main(learning_rate, amp):
                    pass
                """);
        assertEquals("0.001", f.flag("--lr").defaultValue());
        assertTrue(f.accepts("-l"));
        assertFalse(f.accepts("learning_rate"));
        assertTrue(f.accepts("--no-amp"));
        assertEquals("its click source", f.flag("--lr").learntFrom());
    }

    @Test
    void typerOptionsAndCommandParameters() {
        ProgramFlags f = read("""
                import typer
                app = typer.Typer()
                @app.command()
                def train(data: str, batch_size: int = 64, lr: float = typer.Option(1e-3, "--learning-rate", "-r"),
                          max_grad_norm: float = typer.Option(0.5)):
                    pass
                if __name__ == "__main__":
                    app()
                """);
        assertEquals("64", f.flag("--batch-size").defaultValue());
        assertEquals("1e-3", f.flag("--learning-rate").defaultValue());
        assertEquals("0.5", f.flag("--max-grad-norm").defaultValue());
        assertFalse(f.accepts("--data"), "a parameter without a default is an argument");
        assertFalse(f.accepts("--lr"));
    }

    @Test
    void hfArgumentParserAcceptsTrainingArgumentsAndTheScriptsDataclassFields() {
        ProgramFlags f = read("""
                from dataclasses import dataclass, field
                from transformers import HfArgumentParser, TrainingArguments

                @dataclass
                class ModelArguments:
                    model_name: str = field(default="gpt2", metadata={"help": "x"})
                    block_size: int = 128

                parser = HfArgumentParser((ModelArguments, TrainingArguments))
                """);
        assertEquals("8", f.flag("--per_device_train_batch_size").defaultValue());
        assertEquals("1", f.flag("--gradient_accumulation_steps").defaultValue());
        assertEquals("5e-5", f.flag("--learning_rate").defaultValue());
        assertEquals("1.0", f.flag("--max_grad_norm").defaultValue());
        assertEquals("gpt2", f.flag("--model_name").defaultValue());
        assertEquals("128", f.flag("--block_size").defaultValue());
    }

    @Test
    void lightningCliAcceptsTrainerFlags() {
        ProgramFlags f = read("from lightning.pytorch.cli import LightningCLI\nLightningCLI(Model, Data)\n");
        assertTrue(f.accepts("--trainer.gradient_clip_val"));
        assertTrue(f.accepts("--trainer.max_epochs"));
        assertFalse(f.accepts("--max_grad_norm"));
    }

    @Test
    void hydraAppsTakeOverridesAndTheirConfigKeysAreRead() throws Exception {
        Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(tmp.resolve("conf/config.yaml"), """
                batch_size: 64   # per GPU
                trainer:
                  gradient_clip_val: 0.5
                  max_epochs: 3
                optimizer:
                  lr: 0.001
                """);
        ProgramFlags f = read("""
                import hydra
                @hydra.main(version_base=None, config_path="conf", config_name="config")
                def main(cfg):
                    pass
                """);
        assertTrue(f.hydra());
        assertTrue(f.discovered());
        assertEquals("64", f.hydraKeys().get("batch_size"));
        assertEquals("0.5", f.hydraKeys().get("trainer.gradient_clip_val"));
        assertEquals("0.001", f.hydraKeys().get("optimizer.lr"));
        assertEquals(List.of(), f.prefixes());
    }
}
