package dev.medic.backend.slurm;

/** For tests in other packages: a Slurm cluster, or skip (locally) / fail (CI) with how to start one. */
public final class SlurmTestSupport {
    private SlurmTestSupport() {
    }

    public static void requireCluster() {
        SlurmBackendTest.requireCluster();
    }
}
