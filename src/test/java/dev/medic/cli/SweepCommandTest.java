package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.compute.FakeNvidiaSmi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic sweep` end to end: real trials, fixes per trial, one digest, the breaker, files, history, resume, Ctrl-C. */
class SweepCommandTest {
    @TempDir
    Path tmp;

    private Path trainScript() throws Exception {
        return Files.writeString(tmp.resolve("train.py"), """
                import argparse, os, sys, time
                p = argparse.ArgumentParser()
                p.add_argument('--batch-size', type=int); p.add_argument('--lr'); p.add_argument('--data')
                a = p.parse_args()
                print('gpus', os.environ.get('CUDA_VISIBLE_DEVICES', 'unset'), flush=True)
                if a.data and not os.path.exists(a.data):
                    open(a.data)
                if a.lr == 'bad':
                    raise KeyError('optimizer')
                if a.batch_size > 64:
                    sys.stderr.write(f'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate {a.batch_size} MiB\\n')
                    sys.exit(1)
                print('done', flush=True)
                """);
    }

    private static List<JsonNode> rows(Path sweep) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(sweep.resolve("sweep.jsonl"))) {
            out.add(new ObjectMapper().readTree(l));
        }
        out.sort(java.util.Comparator.comparingInt(r -> r.path("trial").asInt()));
        return out;
    }

    private static Path onlySweep(Path sweeps) throws Exception {
        try (var l = Files.list(sweeps)) {
            return l.findFirst().orElseThrow();
        }
    }

    @Test
    void eightTrialsOnTheCpuWithFixesOneEscalationAndFiles() throws Exception {
        Path s = trainScript();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "bs=256,32", "--grid", "lr=0.1,0.01,0.001,bad",
                "--parallel", "2", "--backoff", "0s", "--sweep-dir", "sweeps", "--", "python3", s.toString(),
                "--batch-size", "{bs}", "--lr", "{lr}");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        String err = m.err();
        assertFalse(err.contains("\r"), "plain lines when not on a terminal");
        assertEquals(1, err.lines().filter(l -> l.contains("needs a person")).count(), "one digest for the sweep: " + err);
        assertTrue(err.contains("2 of 8 trials need a person"), err);
        Path sweep = onlySweep(tmp.resolve("sweeps"));
        List<JsonNode> rows = rows(sweep);
        assertEquals(8, rows.size());
        JsonNode fixed = rows.get(0);
        assertEquals("256", fixed.path("params").path("bs").asText());
        assertEquals("succeeded", fixed.path("status").asText());
        assertEquals("cuda_oom", fixed.path("root_failure").asText());
        assertEquals("reduce_batch_size", fixed.path("fixes").get(0).asText());
        JsonNode bug = rows.get(3);
        assertEquals("bad", bug.path("params").path("lr").asText());
        assertEquals("escalated", bug.path("status").asText());
        assertEquals("code_bug", bug.path("root_failure").asText());
        List<String> csv = Files.readAllLines(sweep.resolve("sweep.csv"));
        assertEquals("trial,bs,lr,attempts,root_failure,fixes,status,duration_ms,run_id", csv.get(0));
        assertEquals(9, csv.size());
        assertTrue(csv.get(1).startsWith("1,256,0.1,") && csv.get(1).contains(",succeeded,"), csv.get(1));
        InProcess history = InProcess.run("history", "--sweep-dir", tmp.resolve("sweeps").toString(), sweep.getFileName().toString());
        assertEquals(ExitCodes.SUCCESS, history.exitCode(), history.err());
        assertTrue(history.out().lines().filter(l -> l.matches("\\d+ .*")).count() == 8, history.out());
        assertTrue(history.out().contains("code_bug"), history.out());
    }

    @Test
    void theBreakerStopsASweepWhoseTrialsAllFailTheSameWay() throws Exception {
        Path s = trainScript();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "lr=1,2,3,4,5,6", "--breaker", "3",
                "--sweep-dir", "sweeps", "--", "python3", s.toString(), "--batch-size", "8", "--lr", "{lr}", "--data", "/nonexistent/{lr}.bin");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        List<JsonNode> rows = rows(onlySweep(tmp.resolve("sweeps")));
        assertEquals(List.of("escalated", "escalated", "escalated"), rows.subList(0, 3).stream().map(r -> r.path("status").asText()).toList());
        assertTrue(rows.subList(3, 6).stream().allMatch(r -> r.path("status").asText().startsWith("not started: crash-loop breaker")), rows.toString());
        assertEquals(1, m.err().lines().filter(l -> l.contains("needs a person")).count(), m.err());
        assertTrue(m.err().contains("crash-loop breaker: 3 trials in a row failed with file_not_found"), m.err());
    }

    @Test
    void gpusAreSharedNoMoreThanPerGpuAndAllAreUsed() throws Exception {
        Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(2), FakeNvidiaSmi.listing(2), 0));
        Path log = tmp.resolve("gpu-log.txt");
        Path s = Files.writeString(tmp.resolve("hold.py"), """
                import os, sys, time
                g = os.environ['CUDA_VISIBLE_DEVICES']
                with open(sys.argv[1], 'a') as f: f.write(f'start {g} {time.time()}\\n')
                time.sleep(0.6)
                with open(sys.argv[1], 'a') as f: f.write(f'end {g} {time.time()}\\n')
                """);
        MedicProcess m = MedicProcess.start(tmp, env, "sweep", "--gpus", "auto", "--per-gpu", "2", "--grid", "t=1,2,3,4,5,6,7,8",
                "--sweep-dir", "sweeps", "--", "python3", s.toString(), log.toString());
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        List<String[]> events = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            events.add(l.split(" "));
        }
        events.sort(java.util.Comparator.comparingDouble(e -> Double.parseDouble(e[2])));
        Map<String, Integer> now = new HashMap<>();
        Map<String, Integer> max = new HashMap<>();
        for (String[] e : events) {
            int n = now.merge(e[1], e[0].equals("start") ? 1 : -1, Integer::sum);
            max.merge(e[1], n, Math::max);
        }
        assertEquals(Map.of("0", 2, "1", 2), max, "both GPUs used, each by at most 2 trials at once: " + events.size());
    }

    @Test
    void aTrialMovedToTheCpuGivesItsGpuBack() throws Exception {
        Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(1), FakeNvidiaSmi.listing(1), 0));
        env.remove("CUDA_VISIBLE_DEVICES");
        Path log = tmp.resolve("cpu-log.txt");
        Path s = Files.writeString(tmp.resolve("nodriver.py"), """
                import os, sys, time
                if os.environ.get('CUDA_VISIBLE_DEVICES') != '':
                    sys.stderr.write('RuntimeError: Found no NVIDIA driver on your system.\\n')
                    sys.exit(1)
                with open(sys.argv[1], 'a') as f: f.write(f'start {sys.argv[2]} {time.time()}\\n')
                time.sleep(2.5)
                with open(sys.argv[1], 'a') as f: f.write(f'end {sys.argv[2]} {time.time()}\\n')
                """);
        MedicProcess m = MedicProcess.start(tmp, env, "sweep", "--gpus", "auto", "--grid", "t=a,b", "--backoff", "0s",
                "--sweep-dir", "sweeps", "--", "python3", s.toString(), log.toString(), "{t}");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        Map<String, Double> start = new HashMap<>();
        Map<String, Double> end = new HashMap<>();
        for (String l : Files.readAllLines(log)) {
            String[] e = l.split(" ");
            (e[0].equals("start") ? start : end).put(e[1], Double.parseDouble(e[2]));
        }
        double firstEnd = Math.min(end.get("a"), end.get("b"));
        double secondStart = Math.max(start.get("a"), start.get("b"));
        assertTrue(secondStart < firstEnd, "with one GPU, the second trial ran while the first was on the CPU: " + start + end);
    }

    @Test
    void ctrlCStopsEveryTrialAndLeavesNoProcess() throws Exception {
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Path s = longTrial();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "t=1,2,3,4", "--parallel", "2", "--kill-grace", "1s",
                "--sweep-dir", "sweeps", "--", "python3", s.toString(), pids.toString());
        awaitTrials(pids, 2, m);
        Path sweeps = tmp.resolve("sweeps");
        String sweepId = onlySweep(sweeps).getFileName().toString();
        InProcess ps = InProcess.run("ps", "--run-dir", tmp.resolve("none").toString(), "--sweep-dir", sweeps.toString());
        List<String> running = ps.out().lines().filter(l -> l.startsWith(sweepId + "/") && l.contains(" running ")).toList();
        assertEquals(2, running.size(), "ps shows the trials that run as SWEEP/RUN: " + ps.out());
        String trial = running.get(0).split("\\s+")[0];
        InProcess stop = InProcess.run("stop", trial, "--sweep-dir", sweeps.toString());
        assertEquals(ExitCodes.BAD_INPUT, stop.exitCode());
        assertEquals("medic: run " + trial.substring(trial.indexOf('/') + 1) + " is a trial of sweep " + sweepId
                + ", whose medic (pid " + m.process.pid() + ") supervises all its trials; stop the sweep with kill -TERM "
                + m.process.pid() + " (medic sweep --resume continues it)\n", stop.err());
        new ProcessBuilder("kill", "-INT", Long.toString(m.process.pid())).start().waitFor();
        assertEquals(ExitCodes.INTERRUPTED_INT, m.waitFor(), m.err());
        try (var l = Files.list(pids)) {
            for (Path p : l.toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid), "trial process " + pid + " is gone");
            }
        }
        List<JsonNode> rows = rows(onlySweep(tmp.resolve("sweeps")));
        assertEquals(4, rows.size());
        assertTrue(rows.stream().anyMatch(r -> r.path("status").asText().equals("interrupted")), rows.toString());
    }

    @Test
    void sigtermAfterEveryTrialStartedEndsInterruptedNotInternalError() throws Exception {
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Path s = longTrial();
        // both trials start at once, so medic waits for running trials (not for a free slot) when stopped
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "t=1,2", "--parallel", "2", "--kill-grace", "1s",
                "--sweep-dir", "sweeps", "--", "python3", s.toString(), pids.toString());
        awaitTrials(pids, 2, m);
        new ProcessBuilder("kill", "-TERM", Long.toString(m.process.pid())).start().waitFor();
        assertEquals(ExitCodes.INTERRUPTED_TERM, m.waitFor(), m.err());
        assertFalse(m.err().contains("internal error"), m.err());
        List<JsonNode> rows = rows(onlySweep(tmp.resolve("sweeps")));
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.path("status").asText().equals("interrupted")), rows.toString());
    }

    @Test
    void resumeSkipsTrialsThatSucceeded() throws Exception {
        Path s = trainScript();
        Path data = tmp.resolve("data-3.bin");
        MedicProcess first = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "n=1,2,3", "--breaker", "0", "--sweep-dir", "sweeps",
                "--", "python3", s.toString(), "--batch-size", "8", "--data", tmp.resolve("data-{n}.bin").toString());
        Files.writeString(tmp.resolve("data-1.bin"), "x");
        Files.writeString(tmp.resolve("data-2.bin"), "x");
        // trials 1 and 2 find their data only if it exists before they start: write it first, then run
        first.waitFor();
        Path sweep = onlySweep(tmp.resolve("sweeps"));
        Files.writeString(data, "x");
        List<JsonNode> before = rows(sweep);
        MedicProcess again = MedicProcess.start(tmp, Map.of(), "sweep", "--resume", sweep.getFileName().toString(), "--grid", "n=1,2,3",
                "--sweep-dir", "sweeps", "--", "python3", s.toString(), "--batch-size", "8", "--data", tmp.resolve("data-{n}.bin").toString());
        assertEquals(ExitCodes.SUCCESS, again.waitFor(), again.err());
        List<JsonNode> after = rows(sweep);
        assertEquals(3, after.size());
        for (int i = 0; i < 3; i++) {
            if (before.get(i).path("status").asText().equals("succeeded")) {
                assertEquals(before.get(i).path("run_id").asText(), after.get(i).path("run_id").asText(), "trial " + (i + 1) + " was not run again");
            }
            assertEquals("succeeded", after.get(i).path("status").asText());
        }
        assertTrue(again.err().contains("succeeded before"), again.err());
    }

    @Test
    void resumeRunsAgainATrialThatFailedEvenWhenItsLabelIsMaskedLikeOneThatSucceeded() throws Exception {
        // both labels read api_key=*** in the sweep's files: the trial that failed must not pass for the one that succeeded
        String check = "test \"$1\" = goodAAA1 || { echo 'ValueError: key rejected'; exit 1; }; echo ok";
        String[] sweepArgs = {"--grid", "api_key=goodAAA1,badBBBB2", "--breaker", "0", "--max-attempts", "1", "--sweep-dir", "sweeps",
                "--", "sh", "-c", check, "sh", "{api_key}"};
        MedicProcess first = MedicProcess.start(tmp, Map.of(), concat(new String[] {"sweep"}, sweepArgs));
        assertEquals(ExitCodes.RUN_FAILED, first.waitFor(), first.err());
        Path sweep = onlySweep(tmp.resolve("sweeps"));
        MedicProcess again = MedicProcess.start(tmp, Map.of(),
                concat(new String[] {"sweep", "--resume", sweep.getFileName().toString()}, sweepArgs));
        assertEquals(ExitCodes.RUN_FAILED, again.waitFor(), again.err());
        List<JsonNode> after = rows(sweep);
        assertEquals(List.of(1, 2), after.stream().map(r -> r.path("trial").asInt()).toList(), after.toString());
        assertEquals("succeeded", after.get(0).path("status").asText(), after.toString());
        assertFalse(after.get(1).path("status").asText().equals("succeeded"), after.toString());
        assertFalse(Files.readString(sweep.resolve("sweep.jsonl")).contains("badBBBB2"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static boolean zombie(long pid) {
        try {
            String st = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return st.charAt(st.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return true;
        }
    }

    /** A trial that records its pid in the folder it is given, says it runs, and sleeps. */
    private Path longTrial() throws IOException {
        return Files.writeString(tmp.resolve("long.py"), """
                import os, sys, time
                open(os.path.join(sys.argv[1], str(os.getpid())), 'w').write('x')
                print('running', flush=True)
                time.sleep(300)
                """);
    }

    private static void awaitTrials(Path pids, int count, MedicProcess m) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (var l = Files.list(pids)) {
                if (l.count() >= count) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, m.err());
            Thread.sleep(100);
        }
    }
}
