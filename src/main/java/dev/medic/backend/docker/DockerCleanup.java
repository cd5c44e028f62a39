package dev.medic.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.medic.util.Hosts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds containers that medic runs left behind when their supervisor died (SIGKILL, a crash, a
 * reboot) and removes them. A container is left alone while its supervisor (process id and start
 * time, on this host) is alive, and when it was started from another host.
 */
public final class DockerCleanup {
    private final DockerClient docker;

    public DockerCleanup(DockerClient docker) {
        this.docker = docker;
    }

    /** Removes dead runs' containers; returns one line per container removed. */
    public List<String> removeOrphans() {
        return removeOrphans(null);
    }

    /**
     * Removes the containers that dead supervisors of run {@code runId} left (every dead run's when
     * null): a resumed run clears only its own, never another run's that may be resumed in turn.
     */
    public List<String> removeOrphans(String runId) {
        List<String> removed = new ArrayList<>();
        List<Container> all = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(DockerBackend.LABEL_RUN)).exec();
        for (Container c : all) {
            Map<String, String> labels = c.getLabels();
            if (labels == null || (runId != null && !runId.equals(labels.get(DockerBackend.LABEL_RUN)))
                    || !supervisorIsDead(labels.get(DockerBackend.LABEL_SUPERVISOR))) {
                continue;
            }
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            removed.add("removed container " + c.getId().substring(0, 12) + " of run " + labels.get(DockerBackend.LABEL_RUN)
                    + " attempt " + labels.get(DockerBackend.LABEL_ATTEMPT));
        }
        return removed;
    }

    /** pid@host@startMillis: dead when on this host and no live process has that id and start time. */
    static boolean supervisorIsDead(String label) {
        if (label == null) {
            return false;
        }
        String[] p = label.split("@");
        if (p.length != 3 || !p[1].equals(Hosts.name())) {
            return false;
        }
        long pid;
        long start;
        try {
            pid = Long.parseLong(p[0]);
            start = Long.parseLong(p[2]);
        } catch (NumberFormatException e) {
            return false;
        }
        return dev.medic.util.Supervisors.isDead(pid, start);
    }
}
