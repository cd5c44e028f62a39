package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each ladder end to end under a real supervisor: a small script fails the way the framework does until the fix is applied. */
public class LadderEndToEndTest {
    @TempDir
    static Path shared;
    static Path venvPython;
    static Path wheels;

    @TempDir
    Path tmp;

    /** One throw-away venv (real pip) and a folder holding a wheel the test builds itself. */
    @BeforeAll
    static void venvAndWheel() throws Exception {
        Process p = new ProcessBuilder("python3", "-m", "venv", shared.resolve("venv").toString()).inheritIO().start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 -m venv failed");
        venvPython = shared.resolve("venv/bin/python");
        wheels = Files.createDirectories(shared.resolve("wheels"));
        writeWheel(wheels.resolve("medic_demo_pkg-1.0-py3-none-any.whl"));
    }

    /** A wheel is a zip with the package, METADATA, WHEEL and a RECORD of hashes. */
    public static void writeWheel(Path whl) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("medic_demo_pkg/__init__.py", "VALUE = 42\n".getBytes(StandardCharsets.UTF_8));
        files.put("medic_demo_pkg-1.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: medic-demo-pkg\nVersion: 1.0\nSummary: test package\n".getBytes(StandardCharsets.UTF_8));
        files.put("medic_demo_pkg-1.0.dist-info/WHEEL",
                "Wheel-Version: 1.0\nGenerator: medic-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n".getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(e.getValue());
            record.append(e.getKey()).append(",sha256=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
                    .append(',').append(e.getValue().length).append('\n');
        }
        record.append("medic_demo_pkg-1.0.dist-info/RECORD,,\n");
        files.put("medic_demo_pkg-1.0.dist-info/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Files.write(whl, bytes.toByteArray());
    }

    private Harness harness() {
        Harness h = new Harness(tmp);
        h.env.remove("CUDA_VISIBLE_DEVICES");
        return h;
    }

    @Test
    void nanUntilGradientClippingIsSet() throws Exception {
        Harness h = harness();
        Path s = h.script("train.py", """
                import argparse, time
                p = argparse.ArgumentParser()
                p.add_argument('--output_dir'); p.add_argument('--learning_rate', type=float)
                p.add_argument('--max_grad_norm', type=float, default=0.0)
                a = p.parse_args()
                for step in range(1, 3000):
                    diverged = step > 5 and not (0 < a.max_grad_norm <= 1.0)
                    print(f"{{'loss': {'nan' if diverged else round(2.0 / step, 4)}, 'grad_norm': 1.2, 'epoch': {step / 100}}}", flush=True)
                    # a diverged run goes on (for a minute) until medic stops it, however slowly its rules compile
                    if step == 30 and not diverged:
                        break
                    time.sleep(0.02)
                print('training done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString(), "--output_dir", "out", "--learning_rate", "3e-4");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals("nan_loss", Harness.events(r, "failure").get(0).path("failure").asText());
        assertEquals("gradient_clipping", Harness.events(r, "decision").get(0).path("fix").asText());
        JsonNode second = Harness.events(r, "attempt_started").get(1);
        assertEquals(List.of("python3", s.toString(), "--output_dir", "out", "--learning_rate", "3e-4", "--max_grad_norm", "1.0"),
                strings(second.path("argv")));
        assertEquals("nan_loss", Harness.events(r, "attempt_finished").get(0).path("stopped_for").asText(),
                "the diverged attempt was stopped early");
    }

    /**
     * SGD at a rate above its limit diverges at the same step however far above it is (as train_mlp.py at
     * --lr 5 and 2.5 did on the H200: "step 3 loss inf" both times), so an unchanged loss line after a
     * halving is no reason to stop halving: the rung's budget of 3 takes --lr 4 down to 0.5.
     */
    @Test
    void aLearningRateStillTooLargeIsHalvedAgainUntilTheLossStaysFinite() throws Exception {
        Harness h = harness();
        Path s = h.script("sgd.py", """
                import argparse, time
                p = argparse.ArgumentParser()
                p.add_argument('--lr', type=float, default=1e-3)
                a = p.parse_args()
                for step in range(8):
                    loss = 'inf' if a.lr >= 1.0 and step >= 3 else round(1.0 / (step + 1), 4)
                    print(f"step {step} loss {loss}", flush=True)
                    time.sleep(0.01)
                print('done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString(), "--lr", "4");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        List<JsonNode> decisions = Harness.events(r, "decision");
        assertEquals(List.of("scale_learning_rate", "scale_learning_rate", "scale_learning_rate"),
                decisions.stream().map(d -> d.path("fix").asText()).toList());
        assertEquals(List.of("python3", s.toString(), "--lr", "0.5"), strings(Harness.events(r, "attempt_started").get(3).path("argv")));
        assertEquals("step 3 loss inf", Harness.events(r, "failure").get(2).path("evidence").get(0).path("text").asText(),
                "the same line each time");
    }

    @Test
    void aMissingModuleIsInstalledWithRealPipIntoTheRunsVenv() throws Exception {
        Harness h = harness();
        h.catalog = catalogAllowing("medic_demo_pkg: medic-demo-pkg");
        h.env.put("PIP_NO_INDEX", "1");
        h.env.put("PIP_FIND_LINKS", wheels.toString());
        h.env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        Path s = h.script("uses_pkg.py", "import medic_demo_pkg\nprint('value', medic_demo_pkg.VALUE, flush=True)\n");
        RunResult r = h.run(venvPython.toString(), s.toString());
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals("import_error", Harness.events(r, "failure").get(0).path("failure").asText());
        JsonNode action = Harness.events(r, "fix_action").get(0);
        assertTrue(action.path("ok").asBoolean(), action.toString());
        assertEquals(List.of(venvPython.toString(), "-m", "pip", "install", "--no-input", "medic-demo-pkg"), strings(action.path("argv")));
        assertTrue(Files.readString(r.runDir().resolve("attempt-2.log")).contains("value 42"));
    }

    @Test
    void aFailedInstallIsJournaledWithItsOutputAndEscalates() throws Exception {
        Harness h = harness();
        h.catalog = catalogAllowing("medic_absent_pkg: medic-absent-pkg");
        h.env.put("PIP_NO_INDEX", "1");
        h.env.put("PIP_FIND_LINKS", wheels.toString());
        h.env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        Path s = h.script("uses_absent.py", "import medic_absent_pkg\n");
        RunResult r = h.run(venvPython.toString(), s.toString());
        assertEquals(RunStatus.ESCALATED, r.status());
        JsonNode action = Harness.events(r, "fix_action").get(0);
        assertFalse(action.path("ok").asBoolean());
        assertTrue(action.path("result").asText().startsWith("exit code "), action.toString());
        assertTrue(action.path("output_tail").toString().contains("medic-absent-pkg"), action.toString());
        assertTrue(Harness.events(r, "escalated").get(0).path("reason").asText().contains("pip_install failed"));
    }

    @Test
    void anUnknownModuleIsNotInstalledAndTheEscalationSaysHow() throws Exception {
        Harness h = harness();
        Path s = h.script("typo.py", "import xbgoost\n");
        RunResult r = h.run(venvPython.toString(), s.toString());
        assertEquals(RunStatus.ESCALATED, r.status());
        assertTrue(Harness.events(r, "fix_action").isEmpty(), "nothing was installed");
        String reason = SupervisorTest.skipReason(Harness.events(r, "decision").get(0), "pip_install");
        assertTrue(reason.contains("not in the catalog's package map") && reason.contains("-m pip install xbgoost"), reason);
    }

    @Test
    void noNvidiaDriverUntilTheGpusAreHidden() throws Exception {
        Harness h = harness();
        Path s = h.script("needs_gpu.py", """
                import os, sys
                if os.environ.get('CUDA_VISIBLE_DEVICES') != '':
                    sys.stderr.write('RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver\\n')
                    sys.exit(1)
                print('training on cpu, done', flush=True)
                """);
        RunResult r = h.run("python3", s.toString(), "--device", "cuda");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        assertEquals("cpu_fallback", Harness.events(r, "decision").get(0).path("fix").asText());
        JsonNode second = Harness.events(r, "attempt_started").get(1);
        assertTrue(strings(second.path("env_changed")).contains("CUDA_VISIBLE_DEVICES"), second.toString());
        assertEquals(List.of("python3", s.toString(), "--device", "cpu"), strings(second.path("argv")));
    }

    @Test
    void aRetryResumesFromTheCheckpointItsFailedAttemptWrote() throws Exception {
        Harness h = harness();
        h.checkpointDirs = List.of("out");
        Path s = h.script("train_ckpt.py", """
                import argparse, os, sys
                p = argparse.ArgumentParser()
                p.add_argument('--output_dir'); p.add_argument('--per_device_train_batch_size', type=int)
                p.add_argument('--resume_from_checkpoint')
                a = p.parse_args()
                start = 0
                if a.resume_from_checkpoint:
                    start = int(open(os.path.join(a.resume_from_checkpoint, 'step')).read())
                    print(f'resumed from step {start}', flush=True)
                for step in range(start + 1, 101):
                    if step % 10 == 0:
                        d = os.path.join(a.output_dir, f'checkpoint-{step}')
                        os.makedirs(d, exist_ok=True)
                        open(os.path.join(d, 'step'), 'w').write(str(step))
                    if step == 55 and a.per_device_train_batch_size > 32:
                        sys.stderr.write(f'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate {a.per_device_train_batch_size} MiB\\n')
                        sys.exit(1)
                print('done at step 100', flush=True)
                """);
        RunResult r = h.run("python3", s.toString(), "--output_dir", "out", "--per_device_train_batch_size", "64");
        assertEquals(RunStatus.SUCCEEDED, r.status(), Harness.journal(r).toString());
        JsonNode fix = Harness.events(r, "fix_applied").get(0);
        assertEquals("reduce_batch_size", fix.path("fix").asText());
        assertTrue(fix.path("changes").toString().contains("resume from " + tmp.resolve("out/checkpoint-50")), fix.toString());
        assertTrue(Files.readString(r.runDir().resolve("attempt-2.log")).contains("resumed from step 50"));
    }

    private Path catalogAllowing(String packageLine) throws Exception {
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path pip = cat.resolve("pip.yaml");
        Files.writeString(pip, Files.readString(pip).replace("    packages:\n", "    packages:\n      " + packageLine + "\n"));
        return cat;
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new java.util.ArrayList<>();
        arr.forEach(a -> out.add(a.asText()));
        return out;
    }
}
