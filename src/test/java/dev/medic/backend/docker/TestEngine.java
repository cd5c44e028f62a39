package dev.medic.backend.docker;

import com.github.dockerjava.api.DockerClient;
import dev.medic.Fixtures;
import dev.medic.backend.BackendException;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real Docker engine the tests use, and a test image built without any registry: a root file
 * system of busybox (plus a small training stand-in script) turned into an image with an import.
 */
final class TestEngine {
    static final String IMAGE = "medic-test-busybox:1";
    private static DockerClient client;

    private TestEngine() {
    }

    /** The engine, or the test is skipped (locally) / failed (CI) with how to start one. */
    static synchronized DockerClient client() {
        if (client == null) {
            try {
                client = DockerConnection.connect(System.getenv());
            } catch (BackendException e) {
                String how = "no Docker engine answers (" + e.getMessage() + "); start one with "
                        + "`apt-get install -y docker.io && dockerd --bridge=none --iptables=false &`";
                if (Fixtures.inCi()) {
                    fail(how);
                }
                Assumptions.abort(how);
            }
            buildImage(client);
        }
        return client;
    }

    private static void buildImage(DockerClient docker) {
        try {
            Path root = Files.createTempDirectory("medic-rootfs");
            Path bin = Files.createDirectories(root.resolve("bin"));
            Path busybox = List.of(Path.of("/usr/bin/busybox"), Path.of("/bin/busybox")).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException("busybox is needed: apt-get install -y busybox-static"));
            Files.copy(busybox, bin.resolve("busybox"));
            for (String applet : List.of("sh", "echo", "cat", "sleep", "ls", "head", "df", "wc", "tr", "id")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Path train = bin.resolve("train");
            Files.writeString(train, """
                    #!/bin/sh
                    bs=32
                    while [ $# -gt 0 ]; do case "$1" in --batch-size) bs=$2; shift;; esac; shift; done
                    echo "train: batch size $bs"
                    if [ "$bs" -gt 128 ]; then
                      echo "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate $bs MiB" >&2
                      exit 1
                    fi
                    echo "step 1 loss 0.5"
                    echo done
                    """);
            Files.setPosixFilePermissions(train, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(root.resolve("tmp"));
            // docker import of a root file system: what `docker import` does, with the engine's own CLI
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                    new ProcessBuilder("tar", "-C", root.toString(), "-c", "."),
                    new ProcessBuilder("docker", "import", "-", IMAGE).redirectError(ProcessBuilder.Redirect.INHERIT)));
            for (Process p : pipeline) {
                if (p.waitFor() != 0) {
                    throw new IOException("tar | docker import failed");
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot build the test image: " + e.getMessage(), e);
        }
    }

    static DockerSpec spec() {
        return new DockerSpec(IMAGE, null, null, null, null, null, null, List.of(), List.of(), null, List.of(), null, "none",
                null, false, false);
    }

    static List<String> containersOf(String runId) {
        return client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerBackend.LABEL_RUN, runId)).exec()
                .stream().map(c -> c.getId()).toList();
    }
}
