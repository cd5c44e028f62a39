package dev.medic.packaging;

import dev.medic.Fixtures;
import dev.medic.backend.docker.DockerTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile builds with `docker build` against base images imported locally (no registry can
 * be reached): a JRE image and a Maven image assembled from this machine's JDK, Maven and Maven
 * repository, so the build stage runs Maven offline. Then `docker run IMAGE --help` must answer.
 */
class DockerfileIT {
    private static final String JRE = "medic-test-jre:17";
    private static final String MAVEN = "medic-test-maven:3";
    private static final String IMAGE = "medic-test-medic:it";

    @TempDir
    Path tmp;

    @Test
    void theImageBuildsFromLocalBaseImagesAndAnswers() throws Exception {
        DockerTestSupport.requireEngine();
        Path jdk = Path.of(System.getProperty("java.home")).toRealPath();
        Path jre = tmp.resolve("jre");
        copyJdk(jdk, jre);
        importImage(jre, JRE);

        Path maven = tmp.resolve("maven");
        copyJdk(jdk, maven);
        // Debian's Maven links its jars and conf elsewhere: copy with the links followed
        Files.createDirectories(maven.resolve("usr/share"));
        run(List.of("cp", "-rL", "/usr/share/maven", maven.resolve("usr/share/maven").toString()), 600);
        Files.createDirectories(maven.resolve("usr/bin"));
        Files.createSymbolicLink(maven.resolve("usr/bin/mvn"), Path.of("/usr/share/maven/bin/mvn"));
        Path bin = Files.createDirectories(maven.resolve("bin"));
        Files.copy(busybox(), bin.resolve("busybox"));
        for (String applet : List.of("sh", "uname", "dirname", "expr", "ls", "pwd", "tr", "cat", "basename", "readlink", "sed")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        copyTree(Path.of(System.getProperty("user.home"), ".m2", "repository"), maven.resolve("root/.m2/repository"));
        importImage(maven, MAVEN);

        run(List.of("docker", "build", "--network", "none", "-t", IMAGE, "--build-arg", "BUILD_IMAGE=" + MAVEN,
                "--build-arg", "JRE_IMAGE=" + JRE, "--build-arg", "MAVEN_ARGS=-B -q -o -Dmaven.repo.local=/root/.m2/repository", Fixtures.projectDir().toString()), 900);
        try {
            String help = run(List.of("docker", "run", "--rm", "--network", "none", IMAGE, "--help"), 120);
            assertTrue(help.contains("Usage: medic"), help);
            String check = run(List.of("docker", "run", "--rm", "--network", "none", IMAGE, "check"), 120);
            assertTrue(check.contains("rules: /opt/medic/rules/ (beside bin/medic)") && check.contains("ok: "), check);
            String user = run(List.of("docker", "image", "inspect", "--format", "{{.Config.User}}", IMAGE), 60).strip();
            assertEquals("10001:10001", user, "the image does not run as root");
        } finally {
            run(List.of("docker", "rmi", "-f", IMAGE, MAVEN, JRE), 120);
            // the build stage's image is left untagged: dangling images are garbage by definition
            run(List.of("docker", "image", "prune", "-f"), 120);
        }
    }

    private static Path busybox() {
        return Stream.of(Path.of("/usr/bin/busybox"), Path.of("/bin/busybox")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("busybox is needed: apt-get install -y busybox-static"));
    }

    /** The JDK, `java` on the default PATH, and the shared libraries its binaries load, with the loader. */
    private static void copyJdk(Path jdk, Path root) throws Exception {
        // Debian's JDK links its conf into /etc: copy with links followed (a dangling one, such as
        // cacerts without ca-certificates-java, is left out; the build is offline)
        Path target = root.resolve(jdk.toString().substring(1));
        Files.createDirectories(target.getParent());
        new ProcessBuilder("cp", "-rL", jdk.toString(), target.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        assertTrue(Files.isExecutable(target.resolve("bin/java")), "the JDK was not copied");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("usr/bin/java"), jdk.resolve("bin/java"));
        Files.createDirectories(root.resolve("tmp"));
        Set<Path> libs = new LinkedHashSet<>();
        try (Stream<Path> s = Files.walk(jdk)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".so") || p.getParent().endsWith("bin")).filter(Files::isRegularFile).toList()) {
                libs.addAll(sharedLibraries(f));
            }
        }
        for (Path lib : libs) {
            if (!lib.startsWith(jdk)) {
                copyResolved(lib, root);
            }
        }
    }

    private static final Pattern LDD = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

    private static List<Path> sharedLibraries(Path elf) throws Exception {
        Process p = new ProcessBuilder("ldd", elf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<Path> libs = new ArrayList<>();
        Matcher m = LDD.matcher(out);
        while (m.find()) {
            libs.add(Path.of(m.group(1)));
        }
        return libs;
    }

    /** Copies a file or folder to the same path under {@code root}, following links so the copy stands alone. */
    private static void copyResolved(Path source, Path root) throws IOException {
        Path target = root.resolve(source.toString().substring(1));
        if (Files.isDirectory(source)) {
            try (Stream<Path> s = Files.walk(source)) {
                for (Path p : s.toList()) {
                    Path t = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else if (Files.exists(p)) {
                        Files.createDirectories(t.getParent());
                        Files.copy(p, t);
                    }
                }
            }
        } else {
            Files.createDirectories(target.getParent());
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(source, target);
            }
            // keep the name the loader asks for when it differs from the file (libz.so.1 -> libz.so.1.2.13)
            Path real = source.toRealPath();
            Path realTarget = root.resolve(real.toString().substring(1));
            if (!Files.exists(realTarget)) {
                Files.createDirectories(realTarget.getParent());
                Files.copy(real, realTarget);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        run(List.of("cp", "-a", from.toString(), to.toString()), 600);
    }

    private static void importImage(Path root, String name) throws Exception {
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("tar", "-C", root.toString(), "-c", "."),
                new ProcessBuilder("docker", "import", "-", name).redirectError(ProcessBuilder.Redirect.INHERIT)));
        for (Process p : pipeline) {
            assertTrue(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0, "importing " + name + " failed");
        }
    }

    private static String run(List<String> cmd, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + text);
        return text;
    }
}
