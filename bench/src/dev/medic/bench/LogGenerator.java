package dev.medic.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a deterministic (seeded) training log of a given number of {@code \n}-terminated lines:
 * HF Trainer dict lines, tqdm progress lines (several {@code \r}-separated redraws per line, with
 * unicode blocks), DeepSpeed and Lightning INFO lines with timestamps, plain {@code step N loss X}
 * lines, warnings, a few benign lines that contain a catalog anchor (checkpoint saves, fp16 loss
 * scale overflows), and about 0.1% failure lines of several classes (CUDA OOM, NCCL, missing
 * module, ENOSPC, NaN loss, a Traceback ending in a KeyError).
 *
 * <p>The same seed and line count give the same bytes on every machine: the throughput numbers of
 * two runs are over the same input.
 */
final class LogGenerator {
    static final long SEED = 0x6d65646963L; // "medic"

    /** What was written: line counts by kind, for the report. */
    record Stats(long lines, long bytes, long crSegments, long failureLines, long benignAnchorLines,
                 long warningLines, long nearMissLines) {
    }

    private static final String[] BLOCKS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    private static final String[] MODULES = {"flash_attn", "bitsandbytes", "deepspeed", "apex", "xformers", "peft"};
    private static final String[] WARNINGS = {
            "/usr/local/lib/python3.10/dist-packages/torch/utils/data/dataloader.py:557: UserWarning: This DataLoader will create 16 worker processes in total. Our suggested max number of worker in current system is 8, which is smaller than what this DataLoader is going to create.",
            "  warnings.warn(_create_warning_msg(",
            "/usr/local/lib/python3.10/dist-packages/transformers/modeling_utils.py:1052: UserWarning: Using `past_key_values` as a tuple is deprecated and will be removed in v4.47.",
            "WARNING:torch.distributed.run:Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed.",
            "[W reducer.cpp:1346] Warning: find_unused_parameters=True was specified in DDP constructor, but did not find any unused parameters in the forward pass. (function operator())",
            "/usr/local/lib/python3.10/dist-packages/lightning/pytorch/trainer/connectors/data_connector.py:441: The 'train_dataloader' does not have many workers which may be a bottleneck.",
    };

    /** Output of a busy trainer that is not progress: NCCL and data-loader chatter, debug prints. */
    private static final String[] CHATTER = {
            "node-3:4711:4790 [0] NCCL INFO Channel 03/0 : 0[0] -> 1[1] via P2P/IPC/read",
            "node-3:4711:4790 [0] NCCL INFO Connected all rings",
            "DEBUG:data.loader:worker 7 fetched shard /data/shards/train-00042-of-00128.tar (1024 samples)",
            "batch shapes: input_ids torch.Size([32, 2048]) attention_mask torch.Size([32, 2048]) labels torch.Size([32, 2048])",
            "[2024-06-01 08:12:45,123] [INFO] [checkpointing.py:529:forward] Activation Checkpointing Information",
            "I0601 08:12:45.123456 140551 dataset.py:88] prefetch queue depth 64/64, 0 stalls",
    };

    /**
     * Healthy lines that hold catalog anchors as parts of other words, as real training output does:
     * {@code nan} in nanoGPT, finance and nan_guard, {@code error} in metric names, {@code OOM} in
     * counters, {@code no space} in a disk check. Each holds {@code nan} inside a word.
     */
    private static final String[] NEAR_MISSES = {
            "iter %d: loss %s, time 132.45ms, mfu 38.12%% [nanoGPT out_dir=out-nanogpt-shakespeare]",
            "config step %d: dataset=finance_qa_v2 nan_guard=off oom_retries=0 grad_clip=1.0 loss=%s",
            "eval step %d: val/error_rate=0.0412 val/top5_error=0.0031 val/nan_fraction=0.0000 val/loss=%s",
            "memory at step %d: OOM_events=0 oom_retries=0 nan_checks=on peak_allocated=61.2GiB loss=%s",
            "disk check at step %d before checkpoint: no space issues on /ckpt (412.3 GiB free), nanny ok, loss=%s",
            "Loading financial_phrasebank shard for step %d: 4846 rows, 0 rows with nan labels dropped, mean loss %s",
            "wandb: step %d train/grad_norm 1.93 train/loss_scale 65536 eval/exception_count 0 tenant=finance loss %s",
    };

    private final SplittableRandom random = new SplittableRandom(SEED);
    /** One training line in this many is a {@link #NEAR_MISSES} line; 0 for none. */
    private final int nearMissEvery;
    private long nearMissLines;
    /** Percent of training events that are progress lines; the rest become {@link #CHATTER}. */
    private final int progressPercent;
    private final StringBuilder line = new StringBuilder(512);
    private long step;
    private long failureLines;
    private long benignLines;
    private long warningLines;
    private long crSegments;

    private LogGenerator(int progressPercent, int nearMissEvery) {
        this.progressPercent = progressPercent;
        this.nearMissEvery = nearMissEvery;
    }

    static Stats write(Path file, long lines) throws IOException {
        return new LogGenerator(100, 0).generate(file, lines);
    }

    /** The same log where one training line in six is a near miss ({@link #NEAR_MISSES}). */
    static Stats writeNearMiss(Path file, long lines) throws IOException {
        return new LogGenerator(100, 6).generate(file, lines);
    }

    /**
     * A log of the same kinds of lines where only {@code progressPercent} of the training lines
     * are progress (tqdm, dicts, step lines) and the others busy chatter that is not.
     */
    static Stats writeSparse(Path file, long lines, int progressPercent) throws IOException {
        return new LogGenerator(progressPercent, 0).generate(file, lines);
    }

    private Stats generate(Path file, long lines) throws IOException {
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            StringBuilder chunk = new StringBuilder(1 << 16);
            long emitted = 0;
            while (emitted < lines) {
                line.setLength(0);
                int kind = random.nextInt(100_000);
                int count = next(kind, lines - emitted);
                emitted += count;
                chunk.append(line);
                if (chunk.length() > 60_000) {
                    byte[] b = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    out.write(b);
                    written += b.length;
                    chunk.setLength(0);
                }
            }
            byte[] b = chunk.toString().getBytes(StandardCharsets.UTF_8);
            out.write(b);
            written += b.length;
        }
        return new Stats(lines, written, crSegments, failureLines, benignLines, warningLines, nearMissLines);
    }

    /** Appends one event (one or more whole lines) to {@code line}; returns how many lines. */
    private int next(int kind, long room) {
        step++;
        if (kind < 70) {
            int n = failure(room);
            if (n > 0) {
                failureLines += n;
                return n;
            }
        }
        if (kind < 570) {
            benign();
            benignLines++;
            return 1;
        }
        if (kind < 1_600) {
            line.append(WARNINGS[random.nextInt(WARNINGS.length)]).append('\n');
            warningLines++;
            return 1;
        }
        if (nearMissEvery > 0 && random.nextInt(nearMissEvery) == 0) {
            nearMiss();
        } else if (progressPercent < 100 && random.nextInt(100) >= progressPercent) {
            line.append(CHATTER[random.nextInt(CHATTER.length)]).append('\n');
        } else if (kind < 28_600) {
            hfDict();
        } else if (kind < 48_600) {
            tqdm();
        } else if (kind < 70_600) {
            infoLine();
        } else {
            plainStep();
        }
        return 1;
    }

    /** A failure of one of six classes; 0 when the lines left cannot hold it (a Traceback is six). */
    private int failure(long room) {
        switch (random.nextInt(6)) {
            case 0 -> line.append("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ")
                    .append(1 + random.nextInt(8)).append(".00 GiB. GPU 0 has a total capacity of 79.15 GiB of which ")
                    .append(random.nextInt(900)).append(".00 MiB is free. Including non-PyTorch memory, this process has 78.")
                    .append(random.nextInt(10)).append(" GiB memory in use.\n");
            case 1 -> line.append("torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275, unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.18.1\n");
            case 2 -> line.append("ModuleNotFoundError: No module named '").append(MODULES[random.nextInt(MODULES.length)]).append("'\n");
            case 3 -> line.append("OSError: [Errno 28] No space left on device: '/ckpt/checkpoint-")
                    .append(step / 500 * 500).append("/optimizer.pt'\n");
            case 4 -> line.append("step ").append(step).append(" loss: nan grad_norm: nan lr 3.0e-04\n");
            default -> {
                if (room < 6) {
                    return 0;
                }
                line.append("Traceback (most recent call last):\n")
                        .append("  File \"/app/train.py\", line 212, in <module>\n")
                        .append("    main()\n")
                        .append("  File \"/app/data.py\", line 88, in __getitem__\n")
                        .append("    return self.table[key]['foo']\n")
                        .append("KeyError: 'foo'\n");
                return 6;
            }
        }
        return 1;
    }

    /** A healthy line that holds a catalog anchor, so the screen passes it and the regexes reject it. */
    private void benign() {
        switch (random.nextInt(3)) {
            case 0 -> line.append("Saving model checkpoint to /out/checkpoint-").append(step / 500 * 500).append('\n');
            case 1 -> {
                timestamp('[', ']');
                long scale = 1L << (10 + random.nextInt(7));
                line.append(" [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: ")
                        .append(scale).append(", reducing to ").append(scale / 2).append('\n');
            }
            default -> {
                line.append("Epoch ").append(step / 10_000).append(", global step ").append(step)
                        .append(": 'val_loss' reached ");
                fixed(200 + random.nextInt(400), 3);
                line.append(" (best ");
                fixed(200 + random.nextInt(400), 3);
                line.append("), saving model to '/out/checkpoints/epoch=").append(step / 10_000).append("-step=")
                        .append(step).append(".ckpt' as top 1\n");
            }
        }
    }

    private void nearMiss() {
        line.append(String.format(java.util.Locale.ROOT, NEAR_MISSES[random.nextInt(NEAR_MISSES.length)], step,
                String.format(java.util.Locale.ROOT, "%.4f", (1000 + random.nextInt(9000)) / 10_000.0))).append('\n');
        nearMissLines++;
    }

    /** {'loss': 0.4123, 'grad_norm': 1.93, 'learning_rate': 2.5e-05, 'epoch': 0.12} */
    private void hfDict() {
        line.append("{'loss': ");
        fixed(1000 + random.nextInt(9000), 4);
        line.append(", 'grad_norm': ");
        fixed(50 + random.nextInt(400), 2);
        line.append(", 'learning_rate': ").append(1 + random.nextInt(9)).append('.').append(random.nextInt(10))
                .append("e-05, 'epoch': ");
        fixed(step % 10_000, 2);
        line.append("}\n");
    }

    /**
     * One tqdm line as it lands in a log: each redraw starts with {@code \r}, the bar is made of
     * unicode blocks, and the line ends with {@code \n} when the bar closes or is interrupted.
     */
    private void tqdm() {
        int total = 1000;
        int at = random.nextInt(total - 10);
        int redraws = 1 + random.nextInt(4);
        for (int r = 0; r < redraws; r++) {
            at += 1 + random.nextInt(3);
            int pct = at * 100 / total;
            int eighths = at * 80 / total; // a 10-cell bar in eighths
            line.append('\r').append("Epoch ").append(step / 10_000).append(": ");
            if (pct < 10) {
                line.append("  ");
            } else if (pct < 100) {
                line.append(' ');
            }
            line.append(pct).append("%|");
            int full = eighths / 8;
            line.append("█".repeat(full)).append(BLOCKS[eighths % 8]);
            line.append(" ".repeat(10 - full - (eighths % 8 == 0 ? 0 : 1)));
            line.append("| ").append(at).append('/').append(total).append(" [");
            clock(at / 5);
            line.append('<');
            clock((total - at) / 5);
            line.append(", ");
            fixed(400 + random.nextInt(200), 2);
            line.append("it/s, loss=");
            fixed(200 + random.nextInt(400), 3);
            line.append(", v_num=0]");
            crSegments++;
        }
        line.append('\n');
    }

    /** DeepSpeed and Lightning INFO lines, with timestamps. */
    private void infoLine() {
        switch (random.nextInt(3)) {
            case 0 -> {
                timestamp('[', ']');
                line.append(" [INFO] [logging.py:96:log_dist] [Rank 0] step=").append(step).append(", skipped=")
                        .append(random.nextInt(5)).append(", lr=[").append(1 + random.nextInt(9))
                        .append(".5e-05], mom=[(0.9, 0.999)]\n");
            }
            case 1 -> {
                timestamp('[', ']');
                line.append(" [INFO] [timer.py:260:stop] epoch=0/micro_step=").append(step).append("/global_step=")
                        .append(step).append(", RunningAvgSamplesPerSec=");
                fixed(10_000 + random.nextInt(5000), 2);
                line.append(", CurrSamplesPerSec=");
                fixed(10_000 + random.nextInt(5000), 2);
                line.append(", MemAllocated=4.2GB, MaxMemAllocated=9.8GB\n");
            }
            default -> {
                timestamp('\0', '\0');
                line.append(" - lightning.pytorch.callbacks.progress - INFO - Epoch ").append(step / 10_000)
                        .append(" step ").append(step).append(" train_loss=");
                fixed(1000 + random.nextInt(9000), 4);
                line.append(" val_acc=");
                fixed(7000 + random.nextInt(2000), 4);
                line.append('\n');
            }
        }
    }

    /** step 1234 loss 0.4123 lr 3.0e-04 throughput 1234.5 samples/s */
    private void plainStep() {
        line.append("step ").append(step).append(" loss ");
        fixed(1000 + random.nextInt(9000), 4);
        line.append(" lr 3.0e-04 throughput ");
        fixed(11_000 + random.nextInt(3000), 1);
        line.append(" samples/s\n");
    }

    /** 2024-06-01 08:12:45,123, advancing with the step (10 ms a line), optionally bracketed. */
    private void timestamp(char open, char close) {
        long ms = step * 10;
        long s = ms / 1000;
        if (open != '\0') {
            line.append(open);
        }
        line.append("2024-06-").append(two(1 + (int) (s / 86_400 % 28))).append(' ')
                .append(two((int) (s / 3600 % 24))).append(':').append(two((int) (s / 60 % 60))).append(':')
                .append(two((int) (s % 60))).append(',');
        int frac = (int) (ms % 1000);
        line.append(frac < 10 ? "00" : frac < 100 ? "0" : "").append(frac);
        if (close != '\0') {
            line.append(close);
        }
    }

    private void clock(int seconds) {
        line.append(two(seconds / 60 % 100)).append(':').append(two(seconds % 60));
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    /** {@code units / 10^decimals} with exactly {@code decimals} digits after the point. */
    private void fixed(long units, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        line.append(units / scale).append('.');
        String frac = Long.toString(units % scale);
        for (int i = frac.length(); i < decimals; i++) {
            line.append('0');
        }
        line.append(frac);
    }
}
