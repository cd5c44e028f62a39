package dev.medic.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML page: self-contained, every journal text escaped, a path per curve and a marker per NaN. */
class HtmlReportTest {
    @TempDir
    Path tmp;

    private static final String JOURNAL = """
            {"ts":"2026-12-04T10:00:00Z","event":"run_started","attempt":0,"run_id":"r1","argv":["python3","train.py","--tag","<b>x</b>"],"backend":"local","max_attempts":3,"dry_run":false}
            {"ts":"2026-12-04T10:00:01Z","event":"attempt_started","attempt":1,"argv":["python3","train.py"],"env_changed":[]}
            {"ts":"2026-12-04T10:00:02Z","event":"progress","attempt":1,"step":1,"loss":2.5,"learning_rate":0.001}
            {"ts":"2026-12-04T10:00:03Z","event":"progress","attempt":1,"step":2,"loss":"NaN","learning_rate":0.001}
            {"ts":"2026-12-04T10:00:04Z","event":"progress","attempt":1,"step":3,"loss":1.5,"learning_rate":0.001}
            {"ts":"2026-12-04T10:00:05Z","event":"attempt_finished","attempt":1,"exit_code":1,"duration_ms":4000,"last_progress":{}}
            {"ts":"2026-12-04T10:00:05Z","event":"failure","attempt":1,"failure":"nan_loss","root":true,"matches":1,"evidence":[{"line":7,"stream":"stdout","text":"loss nan <script>alert('x')</script> & more"}]}
            {"ts":"2026-12-04T10:00:05Z","event":"decision","attempt":1,"failure":"nan_loss","fix":"scale_learning_rate","params":{},"step":1,"reason":"rung 1","skipped":[]}
            {"ts":"2026-12-04T10:00:05Z","event":"fix_applied","attempt":1,"fix":"scale_learning_rate","changes":["argv --lr: 0.001 -> 0.0005 <i>"],"argv":["python3","train.py"],"env_changed":[],"env_set":{},"env_unset":[],"backend_settings":{},"spends_attempt":true}
            {"ts":"2026-12-04T10:00:06Z","event":"attempt_started","attempt":2,"argv":["python3","train.py"],"env_changed":[]}
            {"ts":"2026-12-04T10:00:07Z","event":"progress","attempt":2,"step":1,"loss":2.0,"learning_rate":0.0005}
            {"ts":"2026-12-04T10:00:09Z","event":"attempt_finished","attempt":2,"exit_code":0,"duration_ms":3000,"last_progress":{"step":2,"loss":1.0,"learning_rate":0.0005}}
            {"ts":"2026-12-04T10:00:09Z","event":"run_finished","attempt":2,"status":"succeeded","exit_code":0,"attempts":2,"duration_ms":9000}
            """;

    private String render() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("runs/20261204-100000-r1"));
        Files.writeString(dir.resolve("journal.jsonl"), JOURNAL);
        return HtmlReport.render(ReportData.read(tmp.resolve("runs"), tmp.resolve("sweeps"), null, Instant.parse("2026-12-05T00:00:00Z")));
    }

    @Test
    void everyTextFromAJournalIsEscaped() throws IOException {
        String html = render();
        assertFalse(html.contains("<script"), "no script element, not even one a log line brought");
        assertTrue(html.contains("loss nan &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"), html);
        assertTrue(html.contains("--tag &lt;b&gt;x&lt;/b&gt;"), html);
        assertTrue(html.contains("0.0005 &lt;i&gt;"), html);
        assertFalse(html.contains("<b>x") || html.contains("<i>"), html);
    }

    @Test
    void itFetchesNothing() throws IOException {
        String html = render();
        assertFalse(Pattern.compile("(?i)(src|href)\\s*=|@import|url\\(|https?://(?!www\\.w3\\.org)").matcher(html).find(), html);
    }

    @Test
    void eachCurveIsOnePathAndANaNBreaksItWithAMarker() throws IOException {
        String html = render();
        // loss and learning rate, one curve each an attempt
        assertEquals(4, count(html, "<path class=\"curve "));
        Matcher loss1 = Pattern.compile("data-series=\"loss, attempt 1\" d=\"(M[^\"]*)\"").matcher(html);
        assertTrue(loss1.find(), html);
        assertEquals(2, count(loss1.group(1), "M"), "the NaN at step 2 breaks the line in two: " + loss1.group(1));
        assertEquals(1, count(html, "<path class=\"nan\""), html);
        assertTrue(html.contains("loss, attempt 1: NaN at 2"), html);
        // attempt 2's last point comes from attempt_finished's last progress
        Matcher loss2 = Pattern.compile("data-series=\"loss, attempt 2\" d=\"(M[^\"]*)\"").matcher(html);
        assertTrue(loss2.find(), html);
        assertEquals(1, count(loss2.group(1), "L"), loss2.group(1));
    }

    @Test
    void theAttemptsAreOnOneTimeLine() throws IOException {
        String html = render();
        // attempt 1 from 0 s for 4 s, attempt 2 from 5 s for 3 s: 8 s over the 350 units right of the names
        assertTrue(html.contains("<rect class=\"failed\" x=\"180.0\" y=\"7\" width=\"175.0\" height=\"16\"/><text x=\"361.0\" y=\"19\">nan_loss, 4 s</text>"), html);
        assertTrue(html.contains("<rect class=\"ok\" x=\"398.8\" y=\"29\" width=\"131.3\" height=\"16\"/><text x=\"536.0\" y=\"41\">exit 0, 3 s</text>"), html);
    }

    @Test
    void theFixTableMarksRungsThatNeverGotPastTheirFailure() throws IOException {
        String html = render();
        assertTrue(html.contains("<tr><td>nan_loss</td><td class=\"n\">1</td><td>scale_learning_rate</td><td class=\"n\">1</td>"
                + "<td class=\"n\">1 (100%)</td><td class=\"n\">1 (100%)</td></tr>"), html);
        assertFalse(html.contains("<tr class=\"never\">"), html);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
