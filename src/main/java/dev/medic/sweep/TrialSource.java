package dev.medic.sweep;

import dev.medic.MedicException;
import dev.medic.journal.JsonLine;
import dev.medic.util.SourceLocation;
import dev.medic.logs.Redactor;
import dev.medic.logs.SecretNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Trials from grids ({@code --grid lr=1e-3,1e-4}, expanded as a product) or a file (CSV with a header, or JSON lines). */
public final class TrialSource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]*)\\}");

    private TrialSource() {
    }

    public static List<Trial> grid(List<String> grids) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String g : grids) {
            int eq = g.indexOf('=');
            String name = eq > 0 ? g.substring(0, eq).strip() : "";
            if (!NAME.matcher(name).matches() || eq == g.length() - 1) {
                throw MedicException.badInput("--grid " + g + ": expected NAME=VALUE[,VALUE...]");
            }
            if (axes.containsKey(name)) {
                throw MedicException.badInput("--grid: " + name + " is given twice");
            }
            axes.put(name, List.of(g.substring(eq + 1).split(",")));
        }
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : points) {
                for (String v : axis.getValue()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v.strip());
                    next.add(q);
                }
            }
            points = next;
        }
        return number(points);
    }

    public static List<Trial> file(Path path) {
        String text;
        try {
            text = SourceLocation.readCapped(path, "--trials " + path, "trials");
        } catch (IOException e) {
            throw MedicException.badInput("--trials " + path + ": " + e.getMessage());
        }
        List<Map<String, String>> points = new ArrayList<>();
        if (path.toString().endsWith(".jsonl")) {
            int n = 0;
            for (String line : text.lines().toList()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (!(JsonLine.parseValue(line) instanceof Map<?, ?> o)) {
                        throw MedicException.badInput(path + ":" + n + ": each line must be a JSON object");
                    }
                    Map<String, String> p = new LinkedHashMap<>();
                    // a value that is not a string is taken as its JSON text (0.001, true, [1, 2])
                    o.forEach((k, v) -> p.put(checkName(String.valueOf(k), path), v instanceof String s ? s : JsonLine.encode(v)));
                    points.add(p);
                } catch (IOException e) {
                    throw MedicException.badInput(path + ":" + n + ": not JSON");
                }
            }
        } else if (path.toString().endsWith(".csv")) {
            List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                throw MedicException.badInput(path + ": no header line");
            }
            String[] header = lines.get(0).split(",", -1);
            for (String h : header) {
                checkName(h.strip(), path);
            }
            for (int i = 1; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",", -1);
                if (cells.length != header.length) {
                    throw MedicException.badInput(path + ":" + (i + 1) + ": " + cells.length + " values for " + header.length + " columns");
                }
                Map<String, String> p = new LinkedHashMap<>();
                for (int c = 0; c < header.length; c++) {
                    p.put(header[c].strip(), cells[c].strip());
                }
                points.add(p);
            }
        } else {
            throw MedicException.badInput("--trials " + path + ": must be a .csv or .jsonl file");
        }
        if (points.isEmpty()) {
            throw MedicException.badInput("--trials " + path + ": no trials");
        }
        return number(points);
    }

    private static String checkName(String name, Path path) {
        if (!NAME.matcher(name).matches()) {
            throw MedicException.badInput(path + ": '" + name + "' is not a parameter name");
        }
        return name;
    }

    private static List<Trial> number(List<Map<String, String>> points) {
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            out.add(new Trial(i + 1, points.get(i)));
        }
        return out;
    }

    /**
     * The parameters whose values are secrets: by name ({@code api_key}, {@code db_password},
     * {@link SecretNames#argument}), by value (one holds a secret of the environment or looks like
     * a key, {@link Redactor#hides}), or by where the command puts them (after {@code --token}, as
     * a URL's password: masking the command would hide the placeholder).
     */
    public static Set<String> secretParams(List<String> argv, List<Trial> trials, Redactor redactor) {
        Set<String> out = new LinkedHashSet<>();
        for (Trial t : trials) {
            t.params().forEach((k, v) -> {
                if (SecretNames.argument(k) || redactor.hides(v)) {
                    out.add(k);
                }
            });
        }
        List<String> masked = redactor.redactArgv(argv);
        for (int i = 0; i < argv.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(argv.get(i));
            while (m.find()) {
                if (!masked.get(i).contains(m.group())) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /**
     * The command for a trial: each {@code {name}} inside an argument becomes that trial's value.
     * Values stay inside their argument (no shell ever sees them), so a value cannot add an argument.
     */
    public static List<String> substitute(List<String> argv, Trial trial) {
        List<String> out = new ArrayList<>();
        for (String a : argv) {
            Matcher m = PLACEHOLDER.matcher(a);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = trial.params().get(m.group(1));
                if (v == null) {
                    throw MedicException.badInput("the command uses {" + m.group(1) + "} but trial " + trial.number()
                            + " has no such parameter (it has " + String.join(", ", trial.params().keySet()) + ")");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(v));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }
}
