package dev.medic.backend.slurm;

import dev.medic.util.Hosts;
import dev.medic.util.Supervisors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cancels jobs of runs whose supervisor died: their comment names the run and the supervisor. */
public final class SlurmCleanup {
    private final Map<String, String> env;

    public SlurmCleanup(Map<String, String> env) {
        this.env = env;
    }

    /** One line per job cancelled; null when Slurm does not answer. */
    public List<String> cancelOrphans() {
        return cancelOrphans(null);
    }

    /**
     * Cancels the jobs that dead supervisors of run {@code runId} left (every dead run's when null):
     * a resumed run clears only its own. One line per job; null when Slurm does not answer.
     */
    public List<String> cancelOrphans(String runId) {
        Slurm.Result r = Slurm.run(env, 30, List.of("squeue", "--me", "--noheader", "--format=%i|%k"));
        if (r.exitCode() != 0) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (String row : r.out().lines().toList()) {
            String[] f = row.split("\\|", 2);
            if (f.length < 2 || !f[1].startsWith(SlurmBackend.COMMENT_PREFIX)) {
                continue;
            }
            String[] c = f[1].substring(SlurmBackend.COMMENT_PREFIX.length()).split(":", 2);
            if (c.length < 2 || (runId != null && !runId.equals(c[0]))) {
                continue;
            }
            String[] sup = c[1].split("@");
            if (sup.length != 3 || !sup[1].equals(Hosts.name())) {
                continue;
            }
            try {
                if (!Supervisors.isDead(Long.parseLong(sup[0]), Long.parseLong(sup[2]))) {
                    continue;
                }
            } catch (NumberFormatException e) {
                continue;
            }
            Slurm.Result cancel = Slurm.run(env, 30, List.of("scancel", f[0].strip()));
            lines.add(cancel.exitCode() == 0 ? "cancelled job " + f[0].strip() + " of run " + c[0]
                    : "could not cancel job " + f[0].strip() + " of run " + c[0] + ": " + cancel.out());
        }
        return lines;
    }
}
