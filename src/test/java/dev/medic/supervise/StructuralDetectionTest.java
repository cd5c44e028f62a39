package dev.medic.supervise;

import dev.medic.Fixtures;
import dev.medic.facts.Context;
import dev.medic.fix.FixRegistry;
import dev.medic.rules.RuleSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bundled catalog's structural entries (exceptions:, errno:) and the rules beside them, over
 * real logs of src/test/resources/unseen and variations of them that change one thing.
 */
class StructuralDetectionTest {
    private static final Path UNSEEN = Fixtures.projectDir().resolve("src/test/resources/unseen");
    private static RuleSet rules;
    private static Replayer replayer;
    private static Replayer literalOnly;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() {
        rules = Fixtures.defaultRules();
        replayer = new Replayer(Fixtures.defaultCatalog(), rules, FixRegistry.standard());
        literalOnly = new Replayer(Fixtures.defaultCatalog().literalOnly(), rules, FixRegistry.standard());
    }

    @AfterAll
    static void dispose() {
        rules.dispose();
    }

    private String root(Replayer r, String log, int exit) throws Exception {
        return ReplayRoot.of(r, tmp, log, exit, Context.unknown());
    }

    private String root(String log, int exit) throws Exception {
        return root(replayer, log, exit);
    }

    private static String unseen(String path) throws Exception {
        return Files.readString(UNSEEN.resolve(path));
    }

    private static final String RESET = """
            Traceback (most recent call last):
              File "/home/u/train.py", line 40, in <module>
                main()
              File "%s", line 120, in %s
                %s
            ConnectionResetError: [Errno 104] Connection reset by peer
            """;

    @Test
    void aConnectionResetRaisedInTorchDistributedIsNcclsAndInAUsersFrameADownloads() throws Exception {
        String inDistributed = RESET.formatted("/usr/lib/python3.10/site-packages/torch/distributed/rendezvous.py",
                "_create_c10d_store", "return TCPStore(hostname, port, world_size, start_daemon)");
        String inUser = RESET.formatted("/home/u/data.py", "fetch", "return urlopen(url).read()");
        assertEquals("nccl_error", root(inDistributed, 1));
        assertEquals("network_error", root(inUser, 1));
        assertEquals("network_error", root(literalOnly, inDistributed, 1), "the words alone say download");
        String quoted = RESET.formatted("/usr/lib/python3.10/site-packages/torch/distributed/rendezvous.py",
                "_create_c10d_store", "raise ConnectionResetError(104, \"Connection reset by peer\")");
        assertEquals("nccl_error", root(quoted, 1), "a frame's source line quotes words; it is not output");
    }

    @Test
    void errno28WhereSharedMemoryIsMadeIsShmAndElsewhereAFullDisk() throws Exception {
        String pandarallel = unseen("shm_exhausted/opensora-pandarallel-memory-fs-errno28.log");
        assertEquals("shm_exhausted", root(pandarallel, 1));
        assertEquals("disk_full", root(pandarallel.replace("/pandarallel/core.py", "/mylib/writer.py"), 1));
        assertEquals("shm_exhausted", root(unseen("shm_exhausted/megatron-dataloader-semlock-errno28-docker-shm.log"), 1));
    }

    @Test
    void aTimeoutRaisedInsideAnHttpClientIsTheNetwork() throws Exception {
        String log = unseen("network_error/kohya-lora-training-hf-download-read-timeout.log");
        assertEquals("network_error", root(log, 1));
        assertEquals("code_bug", root(literalOnly, log, 1));
    }

    @Test
    void acceleratorMemoryBeyondCudaIsOneFailure() throws Exception {
        for (String log : new String[] {"cuda_oom/mps-oom-gemma-tuner-wrapped-exit-1.log",
                "cuda_oom/tpu-hbm-oom-easydel-train-step-compile.log", "cuda_oom/jax-xla-failed-to-allocate-request-gptj-init.log",
                "cuda_oom/torch-xla-tpu-hbm-allocating-device-buffer.log"}) {
            assertEquals("cuda_oom", root(unseen(log), 1), log);
        }
        assertEquals("cuda_oom", root("""
                Traceback (most recent call last):
                  File "/opt/rocm/train.py", line 9, in <module>
                    y = model(x)
                torch.OutOfMemoryError: HIP out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 63.98 GiB
                """, 1));
    }

    @Test
    void aCppAbortIsNamedByWhatFollowsIt() throws Exception {
        assertEquals("nccl_error", root(unseen("nccl_error/accelerate-allreduce-watchdog-std-runtime-error.log"), 134));
        assertEquals("code_bug", root("""
                terminate called after throwing an instance of 'std::out_of_range'
                  what():  vector::_M_range_check: __n (which is 7) >= this->size() (which is 3)
                Aborted (core dumped)
                """, 134));
    }

    @Test
    void aNanGradientNormBesideAFiniteLossIsASkippedStepUnlessItKeepsComing() throws Exception {
        String once = unseen("healthy/mmocr-tablemaster-fp16-first-grad-norm-nan-then-finite.log");
        assertEquals(null, root(once, 0));
        String line = "Epoch [1][%d/62598]\tlr: 1.000e-03, loss: 1.9091, grad_norm: %s\n";
        StringBuilder warmUp = new StringBuilder();
        StringBuilder forever = new StringBuilder();
        StringBuilder scattered = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            if (i <= 16) {
                warmUp.append(line.formatted(i, "nan")).append("  0%|          | ").append(i).append("/5000\n");
            }
            forever.append(line.formatted(i, "nan")).append("  0%|          | ").append(i).append("/5000\n");
            scattered.append(line.formatted(i * 2000, "nan"));
            for (int k = 0; k < 1001; k++) {
                scattered.append(line.formatted(i * 2000 + k, "2.5031"));
            }
        }
        warmUp.append(line.formatted(17, "2.5031"));
        assertEquals(null, root(warmUp.toString(), 0), "an fp16 scaler's warm-up skips its first steps");
        assertEquals("nan_loss", root(forever.toString(), 0), "every logged step skipped, past any warm-up");
        assertEquals(null, root(scattered.toString(), 0), "a skipped step now and then: the scaler recovers each time");
        assertEquals(null, root("Epoch 0: 12%|#2 | 120/1000 [00:31<03:50, v_num=3, train_loss_step=2.310, grad_norm=nan]\n", 0),
                "Lightning names its loss train_loss_step");
        assertEquals("nan_loss", root(line.formatted(100, "nan").replace("loss: 1.9091", "loss: nan"), 0));
    }

    @Test
    void lossScaleCollapseAsDeepSpeedAndApexPrintIt() throws Exception {
        assertEquals("nan_loss", root("""
                [2023-08-01 10:00:01] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 2, reducing to 1
                step 12 loss 3.21
                [2023-08-01 10:00:03] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 1, reducing to 1
                """, 0));
        assertEquals(null, root("""
                [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768
                step 1 loss 3.21
                """, 0));
        assertEquals("nan_loss", root(unseen("nan_loss/detectron2-centermask-spawn-loss-nan-iter137.log"), 1));
    }

    @Test
    void aLocalFolderWithoutTheFileIsFileNotFoundUnlessTheHubWasUnreachable() throws Exception {
        assertEquals("file_not_found", root(unseen("file_not_found/hf-trainer-rank0-cant-load-configuration-local-ckpt.log"), 1));
        assertEquals("network_error", root("""
                OSError: We couldn't connect to 'https://huggingface.co' to load this file, couldn't find it in the cached files and it looks like bert-base-uncased is not the path to a directory containing a file named config.json.
                OSError: Can't load the configuration of 'bert-base-uncased'. If you were trying to load it from 'https://huggingface.co/models', make sure you don't have a local directory with the same name.
                """, 1));
    }

    @Test
    void anUnspecifiedLaunchFailureIsTheHardware() throws Exception {
        assertEquals("gpu_hardware", root(unseen("gpu_hardware/tf-object-detection-cuda-error-launch-failed.log"), 1));
        assertEquals("gpu_hardware", root("RuntimeError: CUDA error: unspecified launch failure\n", 1));
    }

    @Test
    void killedProcessesAsTorchMultiprocessingAndLaunchersSayIt() throws Exception {
        assertEquals("host_oom", root(unseen("host_oom/mp-spawn-process-0-sigkill-leaked-semaphores.log"), 1));
        assertEquals("host_oom", root(unseen("host_oom/deepspeed-launcher-return-code-9-anomalygpt.log"), 1));
    }

    /**
     * kills/bash-sigkill-locales.log: what bash 5.2 with glibc 2.36 printed here for a child it ran that
     * was SIGKILLed, in 14 locales (`LC_ALL=de_DE.UTF-8 bash -c 'python3 -c "...SIGKILL..."; true'`).
     */
    @Test
    void aShellsKilledInOtherLanguagesIsAKill() throws Exception {
        List<String> reports = Files.readAllLines(Fixtures.projectDir().resolve("src/test/resources/kills/bash-sigkill-locales.log"));
        assertEquals(14, reports.size());
        for (String killed : reports) {
            assertEquals("host_oom", root("epoch 1 ████████ 50%\n" + killed + "\n", 1), killed);
        }
        for (String killed : new String[] {"Getötet", "已杀死", "zsh: killed     python train.py"}) {
            assertEquals("host_oom", root(killed + "\n", 1), killed);
        }
        assertEquals(null, root("Der Prozess wurde nicht getötet\nепоха 1: Убито 0 процессов\n", 0));
        assertEquals("unknown", root("epoch 1 ████████ 50%\nDer Prozess wurde nicht getötet\n", 1));
    }

    /** src/test/resources/structure/README.md says what each of these once got wrong. */
    @Test
    void variationsThatOnceFooledTheStructure() throws Exception {
        Path dir = Fixtures.projectDir().resolve("src/test/resources/structure");
        assertEquals("gpu_hardware", root(Files.readString(dir.resolve("ecc_nccl.log")), 1));
        assertEquals("disk_full", root(Files.readString(dir.resolve("worker28.log")), 1));
        assertEquals(null, root(Files.readString(dir.resolve("optuna.log")), 0));
        assertEquals("code_bug", root(Files.readString(dir.resolve("spark.log")), 1));
        assertEquals("file_not_found", root(Files.readString(dir.resolve("sitepk.log")), 1));
        assertEquals("nccl_error", root(Files.readString(dir.resolve("hostrank.log")), 1));
        assertEquals(null, root(Files.readString(dir.resolve("fp16warm.log")), 0));
    }
}
