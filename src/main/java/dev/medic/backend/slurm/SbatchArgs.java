package dev.medic.backend.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code --sbatch-arg} values the way sbatch's getopt_long does, to find the options medic sets
 * itself: a long option may be cut to any prefix (an exact name wins; a prefix of several names is
 * ambiguous), short options bundle ({@code -vo FILE}), and an option that takes a value takes the
 * next argument when none is attached. The table is Slurm 22.05's, as {@code sbatch} itself reports
 * it (SbatchArgsTest compares it with the installed sbatch).
 */
final class SbatchArgs {
    private enum Value { NONE, REQUIRED, OPTIONAL }

    private static final Map<String, Value> LONG = new TreeMap<>();
    private static final Map<Character, String> SHORT = Map.ofEntries(
            Map.entry('a', "array"), Map.entry('A', "account"), Map.entry('b', "begin"), Map.entry('B', "extra-node-info"),
            Map.entry('c', "cpus-per-task"), Map.entry('C', "constraint"), Map.entry('d', "dependency"),
            Map.entry('D', "chdir"), Map.entry('e', "error"), Map.entry('F', "nodefile"), Map.entry('G', "gpus"),
            Map.entry('h', "help"), Map.entry('H', "hold"), Map.entry('i', "input"), Map.entry('J', "job-name"),
            Map.entry('k', "no-kill"), Map.entry('L', "licenses"), Map.entry('m', "distribution"), Map.entry('M', "clusters"),
            Map.entry('n', "ntasks"), Map.entry('N', "nodes"), Map.entry('o', "output"), Map.entry('O', "overcommit"),
            Map.entry('p', "partition"), Map.entry('q', "qos"), Map.entry('Q', "quiet"), Map.entry('s', "oversubscribe"),
            Map.entry('S', "core-spec"), Map.entry('t', "time"), Map.entry('v', "verbose"), Map.entry('V', "version"),
            Map.entry('w', "nodelist"), Map.entry('W', "wait"), Map.entry('x', "exclude"));

    /** What medic sets for every job: given again, they would break following, cleanup or the submission. */
    static final Set<String> OWN = Set.of("output", "error", "input", "export", "chdir", "comment", "job-name", "parsable",
            "requeue", "no-requeue", "array", "wrap", "hold", "wait", "test-only");
    /** Options with which sbatch prints something and submits no job. */
    static final Set<String> NO_JOB = Set.of("help", "usage", "version");

    static {
        put(Value.REQUIRED, "account acctg-freq array batch bb bbf begin chdir cluster cluster-constraint clusters comment"
                + " constraint container context core-spec cores-per-socket cpu-freq cpus-per-gpu cpus-per-task deadline"
                + " delay-boot dependency distribution error exclude export export-file extra-node-info gid gpu-bind"
                + " gpu-freq gpus gpus-per-node gpus-per-socket gpus-per-task gres gres-flags hint input job-name"
                + " kill-on-invalid-dep licenses mail-type mail-user mcs-label mem mem-bind mem-per-cpu mem-per-gpu mincpus"
                + " network nodefile nodelist nodes ntasks ntasks-per-core ntasks-per-gpu ntasks-per-node ntasks-per-socket"
                + " ntasks-per-tres open-mode output partition power prefer priority profile qos reservation signal"
                + " sockets-per-node switches tasks-per-node thread-spec threads-per-core time time-min tmp uid"
                + " wait-all-nodes wckey wrap");
        put(Value.NONE, "contiguous help hold ignore-pbs no-requeue overcommit oversubscribe parsable quiet reboot requeue"
                + " spread-job test-only usage use-min-nodes verbose version wait");
        put(Value.OPTIONAL, "exclusive get-user-env nice no-kill propagate");
    }

    private SbatchArgs() {
    }

    private static void put(Value value, String names) {
        for (String n : names.split(" ")) {
            LONG.put(n, value);
        }
    }

    /** Every long option name sbatch knows. */
    static Set<String> longNames() {
        return LONG.keySet();
    }

    /** Null when sbatch reads {@code args} without reaching an option medic sets; else the argument and why, in one line. */
    static String refusal(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--") || a.equals("-") || !a.startsWith("-")) {
                return a + ": not an sbatch option; sbatch would stop reading options there and take "
                        + (a.equals("--") ? "what follows" : "it") + " as the batch script";
            }
            boolean valueFollows;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = a.substring(2, eq < 0 ? a.length() : eq);
                List<String> meant = candidates(name);
                String why = owned(a, "--" + name, meant);
                if (why != null) {
                    return why;
                }
                // an option this table lacks (a newer Slurm's) may take a value: a following word is read as one
                valueFollows = eq < 0 && (meant.isEmpty() ? i + 1 < args.size() && !args.get(i + 1).startsWith("-")
                        : meant.stream().allMatch(n -> LONG.get(n) == Value.REQUIRED));
            } else {
                String why = null;
                valueFollows = false;
                for (int k = 1; k < a.length() && why == null; k++) {
                    String name = SHORT.get(a.charAt(k));
                    if (name == null) {
                        continue;
                    }
                    why = owned(a, "-" + a.charAt(k), List.of(name));
                    Value v = LONG.get(name);
                    if (v != Value.NONE) {
                        // the rest of the argument is its value; a required one with nothing attached takes the next argument
                        valueFollows = v == Value.REQUIRED && k == a.length() - 1;
                        break;
                    }
                }
                if (why != null) {
                    return why;
                }
            }
            if (valueFollows) {
                if (i == args.size() - 1) {
                    return a + ": needs a value (" + a + "=VALUE); sbatch would take the batch script for it";
                }
                i++;
            }
        }
        return null;
    }

    /** The long options {@code name} resolves to: itself when exact, else every option it is a prefix of. */
    private static List<String> candidates(String name) {
        if (LONG.containsKey(name)) {
            return List.of(name);
        }
        List<String> c = new ArrayList<>();
        for (String n : LONG.keySet()) {
            if (n.startsWith(name)) {
                c.add(n);
            }
        }
        return c;
    }

    private static String owned(String arg, String written, List<String> meant) {
        if (meant.size() == 1 && NO_JOB.contains(meant.get(0))) {
            String as = written.equals("--" + meant.get(0)) ? "" : " reads " + written + " as --" + meant.get(0) + ",";
            return arg + ": sbatch" + as + " prints and submits no job with it";
        }
        List<String> own = meant.stream().filter(OWN::contains).map(n -> "--" + n).toList();
        if (own.isEmpty()) {
            return null;
        }
        String all = String.join(", ", meant.stream().limit(6).map(n -> "--" + n).toList()) + (meant.size() > 6 ? ", ..." : "");
        if (meant.size() > 1) {
            return arg + ": sbatch reads " + written + " as any of " + all + " (ambiguous), among them "
                    + String.join(", ", own) + ", which medic sets itself for every job";
        }
        if (written.equals(own.get(0))) {
            return arg + ": medic sets " + written + " itself for every job";
        }
        return arg + ": sbatch reads " + written + " as " + own.get(0) + ", which medic sets itself for every job";
    }
}
