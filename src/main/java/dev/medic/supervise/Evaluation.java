package dev.medic.supervise;

import dev.medic.MedicException;
import dev.medic.facts.Context;
import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Replays a labelled corpus ({@code <class>/<slug>.log}, optional {@code <slug>.exit}) through
 * the same code as {@code medic replay} and scores the root causes against the labels. A log
 * without an .exit file ended with 1, or 0 for the class {@code healthy}.
 */
public final class Evaluation {
    public static final String HEALTHY = "healthy";

    /** One replayed log: its label, what medic named (HEALTHY for no failure), and the first evidence line. */
    public record Case(String path, String expected, String predicted, int exitCode, String evidence) {
        public boolean correct() {
            return expected.equals(predicted);
        }
    }

    private final List<Case> cases;

    private Evaluation(List<Case> cases) {
        this.cases = List.copyOf(cases);
    }

    public static Evaluation run(Path corpus, Replayer replayer, Context context, int maxLine) throws IOException {
        if (!Files.isDirectory(corpus)) {
            throw MedicException.badInput(corpus + ": not a folder");
        }
        List<Case> cases = new ArrayList<>();
        List<Path> classes;
        try (Stream<Path> s = Files.list(corpus)) {
            classes = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : classes) {
            String label = dir.getFileName().toString();
            List<Path> logs;
            try (Stream<Path> s = Files.list(dir)) {
                logs = s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
            }
            for (Path log : logs) {
                int exit = exitCode(log, label);
                Verdict v = replayer.replay(log, exit, null, context, maxLine);
                Failure root = v.root();
                String evidence = root == null || root.getEvidence().isEmpty() ? "" : first(root.getEvidence());
                cases.add(new Case(corpus.relativize(log).toString(), label, root == null ? HEALTHY : root.getId(), exit, evidence));
            }
        }
        if (cases.isEmpty()) {
            throw MedicException.badInput(corpus + ": no <class>/<slug>.log files");
        }
        return new Evaluation(cases);
    }

    private static String first(List<Evidence> evidence) {
        Evidence e = evidence.get(0);
        return e.toString();
    }

    static int exitCode(Path log, String label) {
        String name = log.getFileName().toString();
        Path exit = log.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".exit");
        if (Files.isRegularFile(exit)) {
            try {
                return Integer.parseInt(Files.readString(exit).strip());
            } catch (IOException | NumberFormatException e) {
                throw MedicException.badInput(exit + ": not an exit code");
            }
        }
        return HEALTHY.equals(label) ? 0 : 1;
    }

    public List<Case> cases() {
        return cases;
    }

    public int total() {
        return cases.size();
    }

    public int correct() {
        return (int) cases.stream().filter(Case::correct).count();
    }

    public double accuracy() {
        return (double) correct() / total();
    }

    public int healthyFalsePositives() {
        return (int) cases.stream().filter(c -> c.expected().equals(HEALTHY) && !c.predicted().equals(HEALTHY)).count();
    }

    public List<Case> misses() {
        return cases.stream().filter(c -> !c.correct()).toList();
    }

    /** Every class that is a label or a prediction, sorted. */
    public List<String> classes() {
        TreeSet<String> all = new TreeSet<>();
        cases.forEach(c -> {
            all.add(c.expected());
            all.add(c.predicted());
        });
        return List.copyOf(all);
    }

    /** counts[expected][predicted]. */
    public Map<String, Map<String, Integer>> confusion() {
        Map<String, Map<String, Integer>> m = new TreeMap<>();
        for (String e : classes()) {
            Map<String, Integer> row = new TreeMap<>();
            for (String p : classes()) {
                row.put(p, 0);
            }
            m.put(e, row);
        }
        cases.forEach(c -> m.get(c.expected()).merge(c.predicted(), 1, Integer::sum));
        return m;
    }

    /** Of the logs medic named {@code cls}, the fraction labelled {@code cls}; NaN when it named none. */
    public double precision(String cls) {
        long named = cases.stream().filter(c -> c.predicted().equals(cls)).count();
        long right = cases.stream().filter(c -> c.predicted().equals(cls) && c.correct()).count();
        return named == 0 ? Double.NaN : (double) right / named;
    }

    /** Of the logs labelled {@code cls}, the fraction medic named {@code cls}; NaN when there are none. */
    public double recall(String cls) {
        long labelled = cases.stream().filter(c -> c.expected().equals(cls)).count();
        long right = cases.stream().filter(c -> c.expected().equals(cls) && c.correct()).count();
        return labelled == 0 ? Double.NaN : (double) right / labelled;
    }

    public long support(String cls) {
        return cases.stream().filter(c -> c.expected().equals(cls)).count();
    }
}
