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

    static final String PYTHON_IMAGE = "medic-test-python:1";
    private static boolean pythonBuilt;

    /**
     * An image with this machine's Python (interpreter, standard library, pip) and the shared
     * libraries they load, at the same paths, so pip can run inside a container.
     */
    static synchronized String pythonImage() throws Exception {
        client();
        if (pythonBuilt) {
            return PYTHON_IMAGE;
        }
        Path python = Path.of(new String(new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start()
                .getInputStream().readAllBytes()).strip()).toRealPath();
        Path prefix = python.getParent().getParent();
        String version = python.getFileName().toString();
        Path root = Files.createTempDirectory("medic-pyroot");
        Path target = root.resolve(prefix.toString().substring(1));
        Files.createDirectories(target.resolve("bin"));
        Files.copy(python, target.resolve("bin").resolve(version));
        run("cp", "-a", prefix.resolve("lib").toString(), target.resolve("lib").toString(),
                "--no-preserve=ownership");
        // the standard library's own tests and installed packages other than pip are not needed
        try (var s = Files.list(target.resolve("lib").resolve(version).resolve("site-packages"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().startsWith("pip")) {
                    run("rm", "-rf", p.toString());
                }
            }
        }
        run("rm", "-rf", target.resolve("lib").resolve(version).resolve("test").toString());
        Path usrBin = Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(usrBin.resolve("python3"), prefix.resolve("bin").resolve(version));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/usr/bin/busybox").toFile().exists() ? Path.of("/usr/bin/busybox") : Path.of("/bin/busybox"),
                bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        Files.createDirectories(root.resolve("tmp"));
        java.util.Set<Path> libs = new java.util.LinkedHashSet<>();
        try (var s = Files.walk(target)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".so") || p.toString().contains(".so.") || p.equals(target.resolve("bin").resolve(version)))
                    .filter(Files::isRegularFile).toList()) {
                Process ldd = new ProcessBuilder("ldd", f.toString()).redirectErrorStream(true).start();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x")
                        .matcher(new String(ldd.getInputStream().readAllBytes()));
                ldd.waitFor();
                while (m.find()) {
                    libs.add(Path.of(m.group(1)));
                }
            }
        }
        for (Path lib : libs) {
            if (lib.startsWith(prefix)) {
                continue;
            }
            for (Path p : List.of(lib, lib.toRealPath())) {
                Path t = root.resolve(p.toString().substring(1));
                if (!Files.exists(t, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t.getParent());
                    Files.copy(p.toRealPath(), t);
                }
            }
        }
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("tar", "-C", root.toString(), "-c", "."),
                new ProcessBuilder("docker", "import", "-", PYTHON_IMAGE).redirectError(ProcessBuilder.Redirect.INHERIT)));
        for (Process p : pipeline) {
            if (p.waitFor() != 0) {
                throw new IOException("tar | docker import failed");
            }
        }
        run("rm", "-rf", root.toString());
        pythonBuilt = true;
        return PYTHON_IMAGE;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
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
