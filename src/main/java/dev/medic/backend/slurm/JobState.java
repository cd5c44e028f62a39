package dev.medic.backend.slurm;

import dev.medic.backend.ExitStatus;
import dev.medic.util.Signals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A job as `scontrol show job -o` describes it, and what its end means for the attempt. */
public record JobState(String state, String reason, Integer exitCode, Integer signal) {
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "CANCELLED",
            "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED");

    /** Parses the one-line form ({@code -o}): space-separated {@code Key=Value} fields. */
    public static JobState parse(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String part : line.strip().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        String state = f.getOrDefault("JobState", "UNKNOWN");
        Integer exit = null;
        Integer signal = null;
        String ec = f.get("ExitCode");
        if (ec != null && ec.matches("\\d+:\\d+")) {
            String[] p = ec.split(":");
            exit = Integer.parseInt(p[0]);
            signal = Integer.parseInt(p[1]);
        }
        return new JobState(state, f.getOrDefault("Reason", ""), exit, signal);
    }

    /**
     * Parses {@code sacct --noheader --parsable2 --allocations --format=State,ExitCode}: the end
     * of a job the controller has already forgotten, where accounting keeps it. Null when sacct
     * has no row for it.
     */
    public static JobState fromSacct(String out) {
        for (String row : out.strip().split("\n")) {
            String[] f = row.strip().split("\\|");
            if (f.length < 2 || f[0].isBlank()) {
                continue;
            }
            // "CANCELLED by 1000": the state is the first word
            String state = f[0].strip().split("\\s+")[0];
            return parse("JobState=" + state + " ExitCode=" + f[1].strip());
        }
        return null;
    }

    public boolean ended() {
        return ENDED.contains(state);
    }

    /** The attempt's end: timeouts, memory kills and lost jobs become facts the rules and the loop use. */
    public ExitStatus toExitStatus() {
        String sig = signal != null && signal > 0 ? Signals.name(signal) : null;
        int code = exitCode == null ? 0 : exitCode;
        return switch (state) {
            case "COMPLETED" -> new ExitStatus(0, null, false, false, false, state);
            case "TIMEOUT", "DEADLINE" -> new ExitStatus(code == 0 ? null : code, sig, false, true, false, state);
            case "OUT_OF_MEMORY" -> new ExitStatus(code == 0 ? 137 : code, sig == null ? "KILL" : sig, true, false, false, state)
                    .withOomRecord("Slurm job state OUT_OF_MEMORY");
            case "CANCELLED" -> new ExitStatus(code == 0 ? null : code, sig == null ? "TERM" : sig, false, false, false, state);
            case "NODE_FAIL", "PREEMPTED", "BOOT_FAIL" -> new ExitStatus(null, sig, false, false, true, state);
            // FAILED 0:0, REVOKED, ...: any end but COMPLETED is a failure, whatever the exit code says
            default -> new ExitStatus(code != 0 ? code : sig != null ? 128 + signal : 1, sig, false, false, false, state);
        };
    }
}
