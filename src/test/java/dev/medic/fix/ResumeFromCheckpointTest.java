package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Settings;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeFromCheckpointTest {
    @TempDir
    Path tmp;

    private FixPlan plan(List<String> argv) {
        Settings s = Fixtures.defaultCatalog().fixSettings("resume_from_checkpoint").with("run options", Map.of("dirs", List.of("out")));
        return new ResumeFromCheckpoint().plan(new RunSpec(argv, Map.of(), tmp), new FixContext(s, null, tmp, 1));
    }

    private Path checkpoint(String rel, long ageSeconds) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        if (rel.endsWith("/")) {
            Files.createDirectories(p);
        } else {
            Files.writeString(p, "weights");
        }
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - ageSeconds * 1000));
        return p;
    }

    @Test
    void hfTrainingArgumentsGetTheNewestCheckpointFolder() throws Exception {
        checkpoint("out/checkpoint-500/", 300);
        Path newest = checkpoint("out/checkpoint-1000/", 10);
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan(List.of("python", "run_clm.py", "--output_dir", "out", "--per_device_train_batch_size", "8")));
        assertEquals(List.of("python", "run_clm.py", "--output_dir", "out", "--per_device_train_batch_size", "8",
                "--resume_from_checkpoint", newest.toString()), c.next().getArgv());
    }

    @Test
    void anExistingResumeArgumentIsReplaced() throws Exception {
        Path newest = checkpoint("out/lightning_logs/version_0/checkpoints/epoch=3-step=4000.ckpt", 5);
        checkpoint("out/lightning_logs/version_0/checkpoints/epoch=1-step=2000.ckpt", 500);
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan(List.of("python", "main.py", "fit", "--ckpt_path", "old.ckpt", "--trainer.max_epochs", "10")));
        assertEquals(List.of("python", "main.py", "fit", "--ckpt_path", newest.toString(), "--trainer.max_epochs", "10"), c.next().getArgv());
        FixPlan.Change hydra = assertInstanceOf(FixPlan.Change.class, plan(List.of("python", "train.py", "ckpt_path=null", "lr=0.1")));
        assertEquals("ckpt_path=" + newest, hydra.next().getArgv().get(2));
    }

    @Test
    void aResumeSwitchWithoutAValueKeepsTheFlagAfterIt() throws Exception {
        Path newest = checkpoint("out/checkpoint-1000/", 10);
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class,
                plan(List.of("python", "run.py", "--output_dir", "out", "--resume", "--epochs", "3")));
        assertEquals(List.of("python", "run.py", "--output_dir", "out", "--resume", "--epochs", "3",
                "--resume_from_checkpoint", newest.toString()), c.next().getArgv());
    }

    @Test
    void noCheckpointYetOrNoKnownFlagIsSaid() throws Exception {
        assertTrue(assertInstanceOf(FixPlan.Cannot.class, plan(List.of("python", "run_clm.py", "--output_dir", "out")))
                .reason().startsWith("no checkpoint"));
        checkpoint("out/model_0001.pt", 1);
        assertTrue(assertInstanceOf(FixPlan.Cannot.class, plan(List.of("python", "mytrain.py", "--epochs", "3")))
                .reason().startsWith("no resume argument known"));
    }
}
