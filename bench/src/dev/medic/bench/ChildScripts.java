package dev.medic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Python programs the benchmark supervises, written to a scratch folder before each measurement. */
final class ChildScripts {
    private ChildScripts() {
    }

    /**
     * Prints a few training lines, then a CUDA OOM line on stderr and dies at once. It leaves two
     * files in the marks folder: {@code failed_ns} (when the OOM line was flushed) and {@code exit_ns}
     * (just before exiting), both {@code time.time_ns()}, which shares CLOCK_REALTIME with
     * {@code Instant.now()} in the supervisor. The batch size comes from {@code --batch-size}, so
     * Medic's reduce_batch_size fix has something to rewrite.
     */
    static final String OOM_CHILD = """
            import os, sys, time

            def arg(name):
                return sys.argv[sys.argv.index(name) + 1]

            marks = arg("--marks")
            batch = int(arg("--batch-size"))
            for step in range(3):
                print(f"step {step} loss {2.5 - step * 0.01:.4f} lr 3e-4 batch {batch}", flush=True)

            def mark(name, value):
                with open(os.path.join(marks, name), "w") as f:
                    f.write(str(value))

            t_ns = time.time_ns()
            # t_ns keeps each OOM line distinct, as real ones differ by allocation size; an identical
            # line after a fix would make the rules stop reducing the batch size
            sys.stderr.write(f"torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. t_ns={t_ns}\\n")
            sys.stderr.flush()
            mark("failed_ns", t_ns)
            mark("exit_ns", time.time_ns())
            # no interpreter shutdown: the process ends right after the failure, as a crashed trainer does
            os._exit(1)
            """;

    /**
     * Prints {@code rate} realistic training lines a second for {@code seconds}, in batches paced
     * against the clock, then writes "LINES SECONDS" (its own count and time, from its first line
     * to its last) to the file named third, and exits 0. When the supervisor cannot keep up, the
     * pipe fills, writes block, and the run takes longer: the achieved rate shows it. With a
     * fourth argument {@code near-miss}, one line in six holds catalog anchors inside other words
     * (the templates of {@link LogGenerator}'s near misses) and the others are HF Trainer dicts
     * with a {@code grad_norm}.
     */
    static final String STEADY_TRAINER = """
            import sys, time

            seconds = float(sys.argv[1])
            rate = int(sys.argv[2])
            achieved = sys.argv[3]
            near_miss = len(sys.argv) > 4 and sys.argv[4] == "near-miss"
            NEAR = [
                "iter {s}: loss {l}, time 132.45ms, mfu 38.12% [nanoGPT out_dir=out-nanogpt-shakespeare]",
                "config step {s}: dataset=finance_qa_v2 nan_guard=off oom_retries=0 grad_clip=1.0 loss={l}",
                "eval step {s}: val/error_rate=0.0412 val/top5_error=0.0031 val/nan_fraction=0.0000 val/loss={l}",
                "memory at step {s}: OOM_events=0 oom_retries=0 nan_checks=on peak_allocated=61.2GiB loss={l}",
                "disk check at step {s} before checkpoint: no space issues on /ckpt (412.3 GiB free), nanny ok, loss={l}",
                "Loading financial_phrasebank shard for step {s}: 4846 rows, 0 rows with nan labels dropped, mean loss {l}",
                "wandb: step {s} train/grad_norm 1.93 train/loss_scale 65536 eval/exception_count 0 tenant=finance loss {l}",
            ]
            total = int(seconds * rate)
            chunk = max(1, rate // 100)
            out = sys.stdout
            start = time.monotonic()
            step = 0
            while step < total:
                lines = []
                for _ in range(min(chunk, total - step)):
                    loss = 2.5 / (1 + step * 1e-4)
                    if near_miss and step % 6 == 0:
                        lines.append(NEAR[step // 6 % len(NEAR)].format(s=step, l=f"{loss:.4f}") + "\\n")
                    elif near_miss:
                        lines.append(f"{{'loss': {loss:.4f}, 'grad_norm': {1.5 + step % 7 * 0.1:.2f}, 'learning_rate': 2.5e-05, 'epoch': {step / 10000:.2f}}}\\n")
                    else:
                        lines.append(f"step {step} loss {loss:.4f} lr 3e-4 throughput {1200 + step % 97 * 1.5:.1f} samples/s\\n")
                    step += 1
                out.write("".join(lines))
                out.flush()
                ahead = step / rate - (time.monotonic() - start)
                if ahead > 0:
                    time.sleep(ahead)
            with open(achieved, "w") as f:
                f.write(f"{step} {time.monotonic() - start}")
            """;

    static Path write(Path dir, String name, String source) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, source);
        return p;
    }
}
