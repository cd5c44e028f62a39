package dev.medic.backend.slurm;

import java.util.ArrayList;
import java.util.List;

/** What each attempt's job asks Slurm for; null where unset (the cluster's defaults). */
public record SlurmSpec(String partition, String time, String gres, String mem, Integer cpusPerTask, String account,
                        String qos, List<String> extraArgs) {
    public SlurmSpec {
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        String refusal = SbatchArgs.refusal(extraArgs);
        if (refusal != null) {
            throw new IllegalArgumentException("--sbatch-arg " + refusal);
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
