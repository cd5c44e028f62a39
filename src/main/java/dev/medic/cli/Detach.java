package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.supervise.RunFolder;
import dev.medic.supervise.RunLock;
import dev.medic.util.Executables;
import dev.medic.util.PrivateFolder;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code medic run --detach}: starts the same medic command again as a supervisor in a session of
 * its own (setsid; stdin from /dev/null; its console lines go to {@code supervisor.log} in the run
 * folder) and waits until it holds the run's lock, so that {@code medic ps} sees the run as soon
 * as its id is printed. The environment variable tells the second medic which folder is its run.
 */
final class Detach {
    static final String FOLDER_ENV = "MEDIC_DETACHED_RUN_FOLDER";
    static final String SUPERVISOR_LOG = "supervisor.log";
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private Detach() {
    }

    /** The folder this process supervises when it is a detached run's supervisor. */
    static Optional<Path> folderOfThisSupervisor() {
        return Optional.ofNullable(System.getenv(FOLDER_ENV)).filter(s -> !s.isEmpty()).map(Path::of);
    }

    /**
     * The folder a detached new run starts in, or a one-line refusal: it must be the folder the
     * parent just made, holding nothing but {@code supervisor.log}, so that a stray
     * {@value #FOLDER_ENV} never makes a run write into a folder medic did not make.
     */
    static RunFolder freshFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (java.util.stream.Stream<Path> s = Files.list(folder)) {
                if (s.allMatch(p -> p.getFileName().toString().equals(SUPERVISOR_LOG))) {
                    return RunFolder.open(folder);
                }
            }
        }
        throw MedicException.badInput(FOLDER_ENV + " names " + folder + ", which is not a folder medic just made for a detached run;"
                + " unset it to start a run");
    }

    /** Starts the supervisor for {@code folder}; returns its pid once it holds the run's lock. */
    static long start(Path folder, List<String> medicArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        String setsid = Executables.find("setsid", System.getenv());
        if (setsid.contains("/")) {
            cmd.add(setsid);
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(medicArgs);
        Path log = folder.resolve(SUPERVISOR_LOG);
        // made (or checked) here without following a link, so the redirect below opens medic's own file
        PrivateFolder.of(folder, PrivateFolder.RUN_FOLDER).append(log).close();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().put(FOLDER_ENV, folder.toAbsolutePath().toString());
        long spawned = System.currentTimeMillis();
        long journalBefore = journalSize(folder);
        Process p = pb.start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            // a resumed run's folder may name an earlier supervisor; only one started after the spawn is ours
            Optional<RunLock.Owner> owner = RunLock.liveOwner(folder)
                    .filter(o -> o.startMillis() >= spawned - 1000);
            if (owner.isPresent()) {
                return owner.get().pid();
            }
            if (!p.isAlive() && journalSize(folder) > journalBefore && p.exitValue() != ExitCodes.RUN_LOCKED) {
                // it took the lock, ran and let go between two looks: a short run, not a failed start
                return p.pid();
            }
            if (!p.isAlive()) {
                throw new MedicException(p.exitValue() == 0 ? ExitCodes.INTERNAL_ERROR : p.exitValue(),
                        "the detached supervisor ended before it started the run: " + lastLine(log));
            }
            Thread.sleep(50);
        }
        throw new MedicException(ExitCodes.INTERNAL_ERROR, "the detached supervisor (pid " + p.pid() + ") did not take the run's lock within "
                + START_WAIT.toSeconds() + " s; see " + log);
    }

    private static long journalSize(Path folder) {
        try {
            return Files.size(folder.resolve("journal.jsonl"));
        } catch (IOException e) {
            return 0;
        }
    }

    private static String lastLine(Path log) throws IOException {
        // bytes that are not UTF-8 are replaced: this message must not fail on them
        List<String> lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).replaceFirst("^medic: ", "");
            }
        }
        return "(it printed nothing; see " + log + ")";
    }
}
