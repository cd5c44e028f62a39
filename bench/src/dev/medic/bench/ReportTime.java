package dev.medic.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code bin/medic report} as a whole process over {@link #RUNS} generated run folders of
 * {@link #ATTEMPTS} attempts each, shaped as real ones: each failing attempt has its failure with an
 * evidence line, a decision and a fix_applied with changes; every attempt has
 * {@link #PROGRESS_RECORDS} progress records (loss and learning rate) and an attempt_finished with
 * its last progress; one run in four escalates, one in ten has a NaN loss. Both the HTML page and
 * {@code --json} are timed, taking turns.
 */
final class ReportTime {
    static final int RUNS = 1_000;
    static final int ATTEMPTS = 5;
    static final int PROGRESS_RECORDS = 10;

    /** Wall times in nanoseconds, sorted; the size of the journals and of the page; what the last HTML run printed. */
    record Result(List<Long> html, List<Long> json, long journalBytes, long pageBytes, String printed) {
    }

    private final Launcher launcher;
    private final Path scratch;

    ReportTime(Launcher launcher, Path scratch) {
        this.launcher = launcher;
        this.scratch = scratch;
    }

    Result measure(int runs) throws IOException, InterruptedException {
        Path dir = scratch.resolve("report-runs");
        long bytes = generate(dir);
        Path page = scratch.resolve("report.html");
        List<String> html = launcher.medic("report", "--run-dir", dir.toString(), "--sweep-dir", scratch.resolve("no-sweeps").toString(),
                "--out", page.toString());
        List<String> json = launcher.medic("report", "--run-dir", dir.toString(), "--sweep-dir", scratch.resolve("no-sweeps").toString(),
                "--json");
        List<Long> htmlTimes = new ArrayList<>();
        List<Long> jsonTimes = new ArrayList<>();
        String printed = "";
        for (int i = 0; i < runs; i++) {
            Launcher.Timed t = launcher.checked(html, Map.of(), 0);
            printed = t.output().strip();
            if (!printed.contains("report of " + RUNS + " run(s)")) {
                throw new IllegalStateException("medic report did not read every run: " + printed);
            }
            htmlTimes.add(t.nanos());
            jsonTimes.add(launcher.checked(json, Map.of(), 0).nanos());
        }
        htmlTimes.sort(null);
        jsonTimes.sort(null);
        return new Result(htmlTimes, jsonTimes, bytes, Files.size(page), printed);
    }

    /** Writes the run folders; returns the journals' size in bytes. */
    static long generate(Path dir) throws IOException {
        Random random = new Random(19);
        long bytes = 0;
        for (int r = 0; r < RUNS; r++) {
            String id = String.format(Locale.ROOT, "20261204-%06d-%04x", r, r);
            Path run = Files.createDirectories(dir.resolve(id));
            boolean escalates = r % 4 == 0;
            boolean nan = r % 10 == 0;
            try (BufferedWriter w = Files.newBufferedWriter(run.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
                String ts = String.format(Locale.ROOT, "\"ts\":\"2026-12-%02dT10:%02d:00Z\"", 1 + r % 4, r % 60);
                w.write("{" + ts + ",\"event\":\"run_started\",\"attempt\":0,\"run_id\":\"" + id + "\",\"argv\":[\"python3\",\"train.py\","
                        + "\"--batch-size\",\"4096\"],\"cwd\":\"/home/user/exp\",\"medic_version\":\"0.1.0\",\"backend\":\"local\","
                        + "\"max_attempts\":5,\"dry_run\":false}\n");
                for (int a = 1; a <= ATTEMPTS; a++) {
                    boolean last = a == ATTEMPTS;
                    w.write("{" + ts + ",\"event\":\"attempt_started\",\"attempt\":" + a + ",\"argv\":[\"python3\",\"train.py\",\"--batch-size\",\""
                            + (4096 >> (a - 1)) + "\"],\"env_changed\":[],\"pid\":" + (1000 + a) + ",\"process\":\"pid " + (1000 + a) + "\"}\n");
                    for (int p = 0; p < PROGRESS_RECORDS; p++) {
                        String loss = nan && p == PROGRESS_RECORDS - 1 ? "\"NaN\"" : String.format(Locale.ROOT, "%.4f", 2.0 / (p + 1));
                        w.write("{" + ts + ",\"event\":\"progress\",\"attempt\":" + a + ",\"step\":" + p * 100 + ",\"total_steps\":1000,\"loss\":"
                                + loss + ",\"learning_rate\":0.001}\n");
                    }
                    boolean ok = last && !escalates;
                    w.write("{" + ts + ",\"event\":\"attempt_finished\",\"attempt\":" + a + ",\"exit_code\":" + (ok ? 0 : 1)
                            + ",\"signal\":null,\"state\":null,\"duration_ms\":" + (60_000 + random.nextInt(3_600_000))
                            + ",\"lines\":2000,\"bytes\":150000,\"dropped_bytes\":0,\"dropped_lines\":0,\"timed_out\":false,\"stalled\":false,"
                            + "\"stopped_for\":null,\"last_progress\":{\"step\":999,\"loss\":0.01}}\n");
                    if (ok) {
                        continue;
                    }
                    w.write("{" + ts + ",\"event\":\"failure\",\"attempt\":" + a + ",\"failure\":\"cuda_oom\",\"root\":true,\"matches\":1,"
                            + "\"evidence\":[{\"line\":1900,\"stream\":\"stderr\",\"text\":\"torch.OutOfMemoryError: CUDA out of memory. Tried to "
                            + "allocate 2.00 GiB. GPU 0 has a total capacity of 79.11 GiB of which 1.19 GiB is free.\"}]}\n");
                    String fix = last ? "escalate" : "reduce_batch_size";
                    w.write("{" + ts + ",\"event\":\"decision\",\"attempt\":" + a + ",\"failure\":\"cuda_oom\",\"fix\":\"" + fix
                            + "\",\"params\":{},\"step\":1,\"reason\":\"rung 1 of the cuda_oom ladder\",\"skipped\":[]}\n");
                    if (!last) {
                        w.write("{" + ts + ",\"event\":\"fix_applied\",\"attempt\":" + a + ",\"fix\":\"reduce_batch_size\",\"changes\":"
                                + "[\"argv[3] --batch-size: " + (4096 >> (a - 1)) + " -> " + (4096 >> a) + "\"],\"env_changed\":[],\"env_set\":{},"
                                + "\"env_unset\":[],\"backend_settings\":{},\"changed\":true,\"spends_attempt\":true}\n");
                    }
                }
                w.write("{" + ts + ",\"event\":\"run_finished\",\"attempt\":5,\"status\":\"" + (escalates ? "escalated" : "succeeded")
                        + "\",\"exit_code\":" + (escalates ? 1 : 0) + ",\"attempts\":5,\"duration_ms\":9000000}\n");
            }
            bytes += Files.size(run.resolve("journal.jsonl"));
        }
        return bytes;
    }
}
