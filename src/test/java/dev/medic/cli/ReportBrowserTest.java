package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.util.Executables;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code medic report} as a person sees it: real runs of the toy trainer (a recovered OOM) and of a
 * script whose loss goes NaN (stopped, fixed, escalated), a sweep of two trials, a report over
 * their folders, opened in headless Chromium; the DOM it builds is checked and a screenshot taken
 * (kept as target/report-screenshot.png). Skipped where Chromium is not installed; under CI (which installs
 * Debian's chromium) it must run.
 */
class ReportBrowserTest {
    @TempDir
    Path tmp;

    private static final String DIVERGE = """
            import argparse, time
            p = argparse.ArgumentParser()
            p.add_argument("--lr", type=float, default=0.01)
            a = p.parse_args()
            for step in range(1, 200):
                if step < 6:
                    print(f"step {step}/200 loss {2.0 / step:.4f} lr {a.lr}", flush=True)
                else:
                    print(f"step {step}/200 loss nan lr {a.lr} <script>alert(1)</script>", flush=True)
                time.sleep(0.02)
            """;

    @Test
    void aReportOverRealRunsRendersInChromium() throws Exception {
        String chromium = chromium();
        Path toy = Fixtures.projectDir().resolve("examples/toy_train.py");
        MedicProcess oom = MedicProcess.start(tmp, Map.of(), "run", "--backoff", "0s", "--", "python3", toy.toString(),
                "--batch-size", "1024", "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, oom.waitFor(), oom.err());
        Files.writeString(tmp.resolve("diverge.py"), DIVERGE);
        MedicProcess nan = MedicProcess.start(tmp, Map.of(), "run", "--backoff", "0s", "--", "python3", "diverge.py", "--lr", "0.01");
        assertEquals(ExitCodes.RUN_FAILED, nan.waitFor(), nan.err());
        assertTrue(nan.err().contains("run finished: escalated"), nan.err());
        List<String> runs = runIds(tmp.resolve(".medic/runs"));
        assertEquals(2, runs.size(), runs.toString());
        // a sweep of two trials: one fits at once, one is recovered by reduce_batch_size
        MedicProcess sweep = MedicProcess.start(tmp, Map.of(), "sweep", "--backoff", "0s", "--grid", "bs=64,256", "--", "python3",
                toy.toString(), "--batch-size", "{bs}", "--step-time", "0");
        assertEquals(ExitCodes.SUCCESS, sweep.waitFor(), sweep.err());
        List<String> sweeps = runIds(tmp.resolve(".medic/sweeps"));
        assertEquals(1, sweeps.size(), sweeps.toString());
        List<String> trials = runIds(tmp.resolve(".medic/sweeps").resolve(sweeps.get(0)).resolve("trials"));
        assertEquals(2, trials.size(), trials.toString());

        Path html = tmp.resolve("report.html");
        InProcess report = InProcess.run("report", "--run-dir", tmp.resolve(".medic/runs").toString(), "--sweep-dir",
                tmp.resolve(".medic/sweeps").toString(), "--out", html.toString());
        assertEquals(0, report.exitCode(), report.err());

        String dom = browser(chromium, "--dump-dom", html);
        for (String id : runs) {
            assertTrue(dom.contains("<section class=\"run\" id=\"run-" + id + "\">"), id + " in " + dom);
        }
        for (String id : trials) {
            assertTrue(dom.contains("<section class=\"run\" id=\"run-" + id + "\">"), "trial " + id + " in " + dom);
        }
        assertTrue(dom.contains("<h2 id=\"sweep-" + sweeps.get(0) + "\">"), dom);
        assertTrue(dom.contains("<td>bs=64</td><td>" + trials.get(0) + "</td><td>succeeded</td>")
                || dom.contains("<td>bs=64</td><td>" + trials.get(1) + "</td><td>succeeded</td>"), "the trial table: " + dom);
        assertTrue(dom.contains("<td>bs=256</td>") && dom.contains("<td>cuda_oom</td><td>reduce_batch_size</td>"), "the trial table: " + dom);
        assertEquals(2, count(dom, "<circle class=\"dot\""), "bs against the last loss, a dot a trial: " + dom);
        assertTrue(Pattern.compile("<tr><td>cuda_oom</td><td class=\"n\">1</td><td>reduce_batch_size</td><td class=\"n\">4</td>"
                + "<td class=\"n\">2 \\(50%\\)</td><td class=\"n\">4 \\(100%\\)</td></tr>").matcher(dom).find(), dom);
        assertTrue(Pattern.compile("<tr class=\"never\"><td>nan_loss</td><td class=\"n\">1</td><td>scale_learning_rate</td>"
                + "<td class=\"n\">3</td><td class=\"n\">0 \\(0%\\)</td><td class=\"n\">0 \\(0%\\)</td></tr>").matcher(dom).find(), dom);
        // a loss and a learning-rate curve for each of the NaN run's four attempts, a loss curve for the OOM run's last
        for (int n = 1; n <= 4; n++) {
            assertTrue(hasPath(dom, "loss, attempt " + n), "loss curve of attempt " + n + ": " + dom);
            assertTrue(hasPath(dom, "learning rate, attempt " + n), "learning-rate curve of attempt " + n + ": " + dom);
        }
        assertTrue(dom.contains("<path class=\"nan\""), "a NaN is marked: " + dom);
        assertTrue(dom.contains("loss nan lr 0.01 &lt;script&gt;alert(1)&lt;/script&gt;"), "the log line shows as text: " + dom);
        assertFalse(dom.contains("<script"), dom);

        Path png = tmp.resolve("report.png");
        browser(chromium, "--screenshot=" + png, html);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG screenshot: " + bytes.length + " bytes");
        Files.copy(png, Fixtures.projectDir().resolve("target/report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);

        // it prints: Chromium's print to PDF gives a document of more than one page
        Path pdf = tmp.resolve("report.pdf");
        browser(chromium, "--print-to-pdf=" + pdf, html);
        String printed = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
        Matcher pages = Pattern.compile("/Count (\\d+)").matcher(printed);
        assertTrue(printed.startsWith("%PDF-") && pages.find() && Integer.parseInt(pages.group(1)) > 1,
                "a PDF of several pages: " + printed.length() + " bytes");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static boolean hasPath(String dom, String series) {
        Matcher m = Pattern.compile("<path class=\"curve c\\d\" data-series=\"" + Pattern.quote(series) + "\" d=\"M[0-9.]+ [0-9.]+").matcher(dom);
        return m.find();
    }

    private static List<String> runIds(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Runs headless Chromium on the file with {@code option}; returns what it printed on stdout. */
    private String browser(String chromium, String option, Path html) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1000,2400", "--user-data-dir=" + tmp.resolve("chromium-profile"), option, html.toUri().toString()));
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("chromium did not finish in 120 s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            String found = Executables.find(name, System.getenv());
            if (found.contains("/")) {
                return found;
            }
        }
        String why = "chromium is not installed (apt-get install chromium)";
        if (Fixtures.inCi()) {
            Assertions.fail(why + "; CI must provide it (.ci/run installs it)");
        }
        Assumptions.abort(why);
        return null;
    }
}
