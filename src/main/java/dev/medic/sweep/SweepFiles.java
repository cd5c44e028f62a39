package dev.medic.sweep;

import dev.medic.journal.JsonLine;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sweep.jsonl} (a line per trial, appended as each ends, so a killed sweep keeps what it
 * finished) and {@code sweep.csv} (written at the end): trial, parameters, attempts, root failure,
 * fixes applied, final status, duration, run id. Both are written through the sweep folder's
 * {@link PrivateFolder}: private, and never through a link a trial planted.
 */
public final class SweepFiles {
    private final PrivateFolder folder;

    public SweepFiles(PrivateFolder folder) {
        this.folder = folder;
    }

    public Path jsonl() {
        return folder.dir().resolve("sweep.jsonl");
    }

    public Path csv() {
        return folder.dir().resolve("sweep.csv");
    }

    public synchronized void append(TrialResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("trial", r.trial().number());
        o.put("params", r.trial().shownParams());
        o.put("attempts", r.attempts());
        o.put("root_failure", r.rootFailure());
        o.put("fixes", r.fixes());
        o.put("status", r.status());
        o.put("duration_ms", r.durationMillis());
        o.put("run_id", r.runId());
        o.put("gpus", r.gpus());
        try (FileChannel ch = folder.append(jsonl())) {
            ch.write(ByteBuffer.wrap((JsonLine.encode(o) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeCsv(List<TrialResult> results) throws IOException {
        List<String> names = results.isEmpty() ? List.of() : List.copyOf(results.get(0).trial().params().keySet());
        StringBuilder b = new StringBuilder("trial");
        names.forEach(n -> b.append(',').append(cell(n)));
        b.append(",attempts,root_failure,fixes,status,duration_ms,run_id\n");
        for (TrialResult r : results) {
            b.append(r.trial().number());
            Map<String, String> shown = r.trial().shownParams();
            names.forEach(n -> b.append(',').append(cell(shown.getOrDefault(n, ""))));
            b.append(',').append(r.attempts()).append(',').append(cell(r.rootFailure())).append(',')
                    .append(cell(String.join(" ", r.fixes()))).append(',').append(cell(r.status())).append(',')
                    .append(r.durationMillis()).append(',').append(cell(r.runId())).append('\n');
        }
        folder.write(csv(), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * The trials an earlier run of this sweep finished successfully, keyed by {@link #key(Trial)}
     * (for --resume). The files hold secret values masked, so trials whose labels differ only there
     * are told apart by their number.
     */
    public java.util.Map<String, TrialResult> succeeded(List<Trial> trials) throws IOException {
        java.util.Map<String, Trial> byLabel = new java.util.HashMap<>();
        java.util.Map<String, Long> labels = new java.util.HashMap<>();
        trials.forEach(t -> labels.merge(t.label(), 1L, Long::sum));
        trials.forEach(t -> byLabel.put(key(t.label(), t.number(), labels), t));
        java.util.Map<String, TrialResult> out = new java.util.HashMap<>();
        List<String> lines;
        try (var in = folder.read(jsonl())) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException none) {
            return out;
        }
        for (String line : lines) {
            Row o;
            try {
                o = new Row(JsonLine.parse(line));
            } catch (IOException e) {
                continue; // a torn last line of a killed sweep
            }
            if (!o.text("status").equals("succeeded")) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            o.map("params").forEach((k, v) -> b.append(b.length() > 0 ? " " : "").append(k).append('=').append(v));
            Trial t = byLabel.get(key(b.toString(), (int) o.number("trial"), labels));
            if (t != null) {
                out.put(key(t), new TrialResult(t, o.text("run_id"), "succeeded", (int) o.number("attempts"),
                        o.text("root_failure"), o.texts("fixes"), o.number("duration_ms"), List.of()));
            }
        }
        return out;
    }

    /** How {@link #succeeded} names a trial: its number, which a masked label cannot blur. */
    public static String key(Trial t) {
        return Integer.toString(t.number());
    }

    private static String key(String label, int number, java.util.Map<String, Long> labels) {
        return labels.getOrDefault(label, 0L) > 1 ? label + "#" + number : label;
    }

    /** Starts the records afresh (a resumed sweep writes every trial again, the earlier successes included). */
    public void restart() throws IOException {
        folder.deleteIfExists(jsonl());
    }

    /** A row of sweep.jsonl as an earlier medic wrote it: a missing field reads as empty. */
    private record Row(Map<String, Object> fields) {
        String text(String k) {
            Object v = fields.get(k);
            return v == null || v instanceof Map || v instanceof List ? "" : String.valueOf(v);
        }

        long number(String k) {
            return fields.get(k) instanceof Number n ? n.longValue() : 0;
        }

        Map<String, String> map(String k) {
            Map<String, String> out = new LinkedHashMap<>();
            if (fields.get(k) instanceof Map<?, ?> m) {
                m.forEach((key, v) -> out.put(String.valueOf(key), v == null ? "null" : String.valueOf(v)));
            }
            return out;
        }

        List<String> texts(String k) {
            return fields.get(k) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        }
    }
}
