package dev.medic.progress;

import dev.medic.Fixtures;
import dev.medic.logs.LineSplitter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real logs read line by line as the supervisor cuts them (a {@code \r} redraw is a line), into a
 * tracker: what it knows at the end is what the journal would record as the last progress before
 * the run ended. Expected values were read from the files by eye.
 */
class ProgressCorpusTest {
    private static final ProgressParser PARSER = Fixtures.defaultCatalog().progress();

    /** What reading a whole log gave: the tracker after it, and the line numbers (from 1) that were progress. */
    private record Read(ProgressTracker tracker, List<Integer> lines) {
    }

    private static Path corpus() {
        return Fixtures.shared("corpus");
    }

    /** Each line's time is its number, so the tracker's times say which line advanced it last. */
    private static Read read(Path log) throws IOException {
        ProgressTracker tracker = new ProgressTracker();
        List<Integer> lines = new ArrayList<>();
        int[] n = {0};
        LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE, (b, off, len, term, continues) -> {
            n[0]++;
            Progress p = PARSER.parse(new String(b, off, len, StandardCharsets.UTF_8));
            if (p != null) {
                lines.add(n[0]);
                tracker.update(p, n[0]);
            }
        });
        byte[] bytes = Files.readAllBytes(log);
        splitter.feed(bytes, 0, bytes.length);
        splitter.finish();
        return new Read(tracker, lines);
    }

    @Test
    void aRunThatDivergesKeepsItsLastStepAndItsNanLoss() throws IOException {
        Read r = read(corpus().resolve("nan_loss/gpu-torch-nan-train.log"));
        // step 0 .. step 29, then "done"
        assertEquals(30, r.lines().size());
        Fields.assertProgress("step=29 loss=nan", r.tracker().latest(), "gpu-torch-nan-train.log");
        assertEquals(30, r.tracker().lastAdvancedMillis(), "line 30 is 'step 29 loss nan'");
        assertEquals(Map.of("step", 29L, "loss", Double.NaN), r.tracker().toFields());
    }

    @Test
    void theDivergingStepsReadAsTheirNumbers() throws IOException {
        List<String> lines = Files.readAllLines(corpus().resolve("nan_loss/gpu-torch-nan-train.log"));
        Fields.assertProgress("step=0 loss=1.0796", PARSER.parse(lines.get(0)), lines.get(0));
        Fields.assertProgress("step=1 loss=60543643359133385593489538940928.0", PARSER.parse(lines.get(1)), lines.get(1));
        Fields.assertProgress("step=2 loss=inf", PARSER.parse(lines.get(2)), lines.get(2));
    }

    @Test
    void lightningsRichBarGivesEpochStepLossAndRate() throws IOException {
        Read r = read(corpus().resolve("healthy/gpu-lightning-ok.log"));
        assertEquals(List.of(22), r.lines(), "only the last line is progress; '`max_epochs=3` reached' is not");
        Fields.assertProgress("epoch=2 total_epochs=2 step=8 total_steps=8 loss=0.797 throughput=428.47 throughput_unit=it/s",
                r.tracker().latest(), "gpu-lightning-ok.log");
    }

    @Test
    void gpuLogsWithoutTrainingOutputGiveNoProgress() throws IOException {
        for (String log : List.of("cuda_oom/gpu-torch-oom-train.log", "cuda_oom/gpu-jax-oom.log", "code_bug/gpu-torch-shape-bug.log",
                "disk_full/gpu-disk-full-write.log", "import_error/gpu-import-error.log")) {
            Read r = read(corpus().resolve(log));
            assertEquals(List.of(), r.lines(), log);
            assertEquals(Progress.NONE, r.tracker().latest(), log);
            assertEquals(-1, r.tracker().lastAdvancedMillis(), log);
        }
    }

    @Test
    void everyGpuLogOfTheCorpusIsCovered() throws IOException {
        List<String> gpuLogs;
        try (Stream<Path> all = Files.walk(corpus())) {
            gpuLogs = all.filter(p -> p.getFileName().toString().matches("gpu-.*\\.log"))
                    .map(p -> corpus().relativize(p).toString()).sorted().toList();
        }
        assertEquals(List.of("code_bug/gpu-torch-shape-bug.log", "cuda_oom/gpu-jax-oom.log", "cuda_oom/gpu-torch-oom-train.log",
                "disk_full/gpu-disk-full-write.log", "healthy/gpu-lightning-ok.log", "import_error/gpu-import-error.log",
                "nan_loss/gpu-torch-nan-train.log"), gpuLogs, "a new gpu-* log needs its expected progress here");
    }

    @Test
    void otherFrameworksInTheSharedCorpus() throws IOException {
        Path c = corpus();
        Fields.assertProgress("epoch=1 step=486 loss=12.636 lr=1.22379e-05 throughput=53414 throughput_unit=words/s",
                read(c.resolve("healthy/fairseq-overflow-warnings-training-continues.log")).tracker().latest(), "fairseq");
        Fields.assertProgress("step=13 total_steps=63645 throughput=2.13 throughput_unit=s/it",
                read(c.resolve("healthy/deepspeed-zero3-overflow-skipping-warmup.log")).tracker().latest(), "tqdm fused with DeepSpeed");
        Fields.assertProgress("step=1641 loss=3.9748 throughput=567.31 throughput_unit=ms/it",
                read(c.resolve("healthy/nanogpt-torchrun-8gpu-iter-lines.log")).tracker().latest(), "nanoGPT");
        Fields.assertProgress("epoch=0.53 loss=0.0 lr=9.773318840518906e-06",
                read(c.resolve("nan_loss/hf-trainer-modernbert-gradnorm-nan.log")).tracker().latest(), "HF Trainer");
        // "Epoch 0/59" then "train Loss: 2.7186 Acc: 0.4082": the loss line keeps the epoch known before
        Fields.assertProgress("epoch=0 total_epochs=59 loss=2.7186",
                read(c.resolve("cuda_device_assert/reid-classnll-assert-n-classes.log")).tracker().latest(), "reid");
        // the epoch's summary line, then its validation line (ignored), then overflow warnings
        Fields.assertProgress("epoch=27 step=10198 loss=6.343 lr=0.000626286 throughput=164346 throughput_unit=words/s",
                read(c.resolve("nan_loss/fairseq-overflow-cascade-then-traceback.log")).tracker().latest(), "fairseq epoch end");
        Fields.assertProgress("step=0 total_steps=3000",
                read(c.resolve("code_bug/dreambooth-linear-shape-mismatch-steps-0.log")).tracker().latest(), "diffusers");
        // a bar that loads checkpoint shards is not training progress
        assertEquals(List.of(), read(c.resolve("host_oom/torchrun-exitcode-minus9-loading-shards.log")).lines());
    }

    @Test
    void noPatternGivesUpOnAnyLogOfEitherCorpus() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (Path root : List.of(corpus(), Fixtures.projectDir().resolve("src/test/resources/cases"))) {
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> p.toString().endsWith(".log")).forEach(logs::add);
            }
        }
        assertTrue(logs.size() > 200, "both corpora: " + logs.size());
        PARSER.takeGaveUpWarnings();
        for (Path log : logs) {
            read(log);
        }
        assertEquals(List.of(), PARSER.takeGaveUpWarnings());
    }
}
