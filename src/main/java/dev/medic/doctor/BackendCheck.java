package dev.medic.doctor;

import dev.medic.backend.BackendException;
import dev.medic.backend.docker.DockerConnection;
import dev.medic.compute.ComputeReport;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Docker and Slurm answer, when a run is set to use them. A backend that does not answer fails
 * the check, unless the run falls back to a local process ({@code --fallback local}): then it is a
 * warning.
 */
public final class BackendCheck {
    private static final String FALLS_BACK = "; runs fall back to a local process (--fallback local)";
    private static final String ADVICE_FALLBACK = ", or use --fallback local";

    private BackendCheck() {
    }

    /** @param image the image runs use, which must be on the engine; null when none is named */
    public static Finding docker(Map<String, String> env, String image, boolean fallback) {
        try {
            String version = DockerConnection.check(env, image);
            return Finding.ok("docker", "engine " + version + " at " + DockerConnection.describe(env)
                    + (image == null ? "" : ", image " + image + " present"));
        } catch (BackendException e) {
            return unreachable("docker", e.getMessage(), fallback && e.exitCode() == dev.medic.ExitCodes.BACKEND_UNAVAILABLE);
        }
    }

    /** @param partition the partition runs ask for, which sinfo must list; null when none is named */
    public static Finding slurm(Map<String, String> env, String partition, boolean fallback) {
        ComputeReport.Service sinfo = ComputeReport.slurm(env);
        if (!sinfo.answers()) {
            return unreachable("slurm", "Slurm is not reachable: " + sinfo.detail(), fallback);
        }
        // the report joins sinfo's lines "NAME[*] STATE NODES" with "; "; the star marks the default partition
        List<String> partitions = sinfo.detail().equals(ComputeReport.NO_PARTITIONS) ? List.of()
                : Arrays.stream(sinfo.detail().split("; ")).map(l -> l.split(" ")[0]).toList();
        if (partition != null && partitions.stream().noneMatch(p -> p.replace("*", "").equals(partition))) {
            return Finding.fail("slurm", "partition '" + partition + "' is not one sinfo lists ("
                    + (partitions.isEmpty() ? "none" : String.join(", ", partitions)) + ")");
        }
        return Finding.ok("slurm", "sinfo lists " + sinfo.detail());
    }

    private static Finding unreachable(String check, String message, boolean fallback) {
        // the backend's own message advises --fallback local: with it set, say what it does instead
        return fallback ? Finding.warn(check, message.replace(ADVICE_FALLBACK, "") + FALLS_BACK) : Finding.fail(check, message);
    }
}
