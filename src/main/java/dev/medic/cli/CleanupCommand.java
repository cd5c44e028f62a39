package dev.medic.cli;

import dev.medic.backend.BackendException;
import dev.medic.backend.docker.DockerCleanup;
import dev.medic.backend.docker.DockerConnection;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "cleanup", description = "Removes what runs whose supervisor died left behind (their containers), and only that.")
final class CleanupCommand implements Callable<Integer> {
    @Override
    public Integer call() {
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
