package dev.medic.cli;

import dev.medic.backend.BackendException;
import dev.medic.backend.docker.DockerCleanup;
import dev.medic.backend.docker.DockerConnection;
import dev.medic.backend.local.LocalCleanup;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "cleanup", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = "Stops what runs whose supervisor died left behind (their processes and containers), and only that.")
final class CleanupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws InterruptedException {
        // a run a live medic took up again (it adopted its attempt) is that medic's to stop
        List<String> stopped = new LocalCleanup().stopOrphans(5000, dir -> dev.medic.supervise.RunLock.liveOwner(dir).isPresent());
        stopped.forEach(System.out::println);
        System.out.println("local: " + stopped.size() + " process(es) of dead runs stopped");
        List<String> cancelled = new dev.medic.backend.slurm.SlurmCleanup(System.getenv()).cancelOrphans();
        if (cancelled == null) {
            System.out.println("slurm: skipped (squeue does not answer)");
        } else {
            cancelled.forEach(System.out::println);
            System.out.println("slurm: " + cancelled.size() + " job(s) of dead runs cancelled");
        }
        List<String> removed;
        try {
            removed = new DockerCleanup(DockerConnection.connect(System.getenv())).removeOrphans();
        } catch (BackendException e) {
            System.out.println("docker: skipped (" + e.getMessage() + ")");
            return 0;
        }
        removed.forEach(System.out::println);
        System.out.println("docker: " + removed.size() + " container(s) of dead runs removed");
        return 0;
    }
}
