package dev.medic.backend.slurm;

import java.util.ArrayList;
import java.util.List;

/** What each attempt's job asks Slurm for; null where unset (the cluster's defaults). */
public record SlurmSpec(String partition, String time, String gres, String mem, Integer cpusPerTask, String account,
                        String qos, List<String> extraArgs) {
    /** sbatch options medic sets itself: giving them again would break following or cleanup. */
    private static final List<String> OWN = List.of("--output", "-o", "--error", "-e", "--export", "--chdir", "-D",
            "--comment", "--job-name", "-J", "--parsable", "--requeue", "--no-requeue", "--array", "-a", "--wrap",
            "--hold", "-H", "--wait", "-W", "--test-only", "--input", "-i");

    public SlurmSpec {
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        for (String a : extraArgs) {
            String flag = a.startsWith("--") ? a.split("=", 2)[0] : a.length() >= 2 && a.startsWith("-") ? a.substring(0, 2) : a;
            if (OWN.contains(flag)) {
                throw new IllegalArgumentException("--sbatch-arg " + a + ": medic sets " + flag + " itself for every job");
            }
        }
    }

    /** The sbatch options, each one argument ({@code --time=10:00}). */
    List<String> options() {
        List<String> o = new ArrayList<>();
        add(o, "--partition", partition);
        add(o, "--time", time);
        add(o, "--gres", gres);
        add(o, "--mem", mem);
        add(o, "--cpus-per-task", cpusPerTask == null ? null : cpusPerTask.toString());
        add(o, "--account", account);
        add(o, "--qos", qos);
        o.addAll(extraArgs);
        return o;
    }

    private static void add(List<String> o, String flag, String value) {
        if (value != null && !value.isBlank()) {
            o.add(flag + "=" + value);
        }
    }

    public SlurmSpec withGres(String newGres) {
        return new SlurmSpec(partition, time, newGres, mem, cpusPerTask, account, qos, extraArgs);
    }
}
