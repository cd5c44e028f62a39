package dev.medic.backend.local;

import dev.medic.ExitCodes;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.BackendException;
import dev.medic.backend.CommandResult;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.facts.RunSpec;
import dev.medic.memory.OomWatch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an attempt as a local child process, in a session and process group of its own (through
 * {@code setsid}) so that stopping it reaches every process it started. Standard input is
 * /dev/null, output goes to the files of a {@link Spool}. The command runs from its argv under a
 * launcher, a shell with a fixed script that takes the argv as its positional parameters (never
 * a command line built from text) and records the command's exit status in the spool when it
 * ends, so the status survives a supervisor that died meanwhile.
 */
public final class LocalBackend implements RunBackend {
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    /**
     * $1: the exit status file; the rest: the command. The signals a process group is commonly sent
     * (medic's TERM, a training that signals its own group to checkpoint or stop its workers, a
     * person's kill -USR1 -PGID) are trapped with a no-op, so the launcher outlives them and records
     * how the command ended; the command gets their defaults back (a trapped signal is reset in a
     * child, an ignored one would be inherited: hence ':' and not '').
     * The command runs in a subshell (which execs it: no extra process) with the launcher's own
     * stderr on /dev/null, so the shell's report of a command killed by a signal ("Terminated")
     * never lands in the run's output. The subshell first writes its own process id (the `read`
     * builtin opens /proc/self/stat in the subshell itself) to {@code child} beside the status
     * file: the command keeps that id, and a kernel record of its OOM kill names it even when it
     * died before medic's memory watch sampled it.
     */
    static final String LAUNCHER = "s=$1; shift; trap : HUP INT QUIT TERM USR1 USR2 ALRM PIPE; exec 3>&2 2>/dev/null; "
            + "(read -r p _ </proc/self/stat; printf '%s\\n' \"$p\" >\"${s%/*}/child\"; exec \"$@\" 2>&3 3>&-); c=$?; "
            + "printf '%s\\n' \"$c\" >\"$s\"; exit \"$c\"";

    @Override
    public java.util.List<String> stopLeftovers() throws InterruptedException {
        return new LocalCleanup().stopOrphans(5000);
    }

    @Override
    public List<String> stopLeftovers(AttemptTag run, int adopted) throws InterruptedException {
        return new LocalCleanup().stopRun(5000, run.runDir(), adopted);
    }

    @Override
    public boolean adopts() {
        return true;
    }

    @Override
    public Adoptable adoptable(AttemptTag tag, java.util.Map<String, String> started) {
        Spool spool = Spool.existing(started.get("spool"));
        String marker = started.get("marker");
        long pid;
        try {
            pid = Long.parseLong(started.getOrDefault("pid", ""));
        } catch (NumberFormatException e) {
            return null;
        }
        if (spool == null || marker == null) {
            return null;
        }
        LocalCleanup.Marker m = LocalCleanup.Marker.parse(marker);
        if (m.attempt() != tag.attempt() || !m.ofRun(tag.runDir())) {
            return null;
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && ProcessGroup.carries(pid, marker);
        if (!alive && spool.exitCode() == null) {
            return null;
        }
        return new Adoptable() {
            @Override
            public RunningAttempt follow(long stdoutFrom, long stderrFrom, dev.medic.backend.OutputSink sink) {
                return LocalAttempt.adopt(pid, marker, spool, stdoutFrom, stderrFrom, sink);
            }

            @Override
            public long lastOutputMillis() {
                return spool.lastWriteMillis();
            }
        };
    }

    @Override
    public void discard(AttemptTag tag, java.util.Map<String, String> started) {
        Spool spool = Spool.existing(started.get("spool"));
        String marker = started.get("marker");
        if (spool != null && marker != null) {
            LocalCleanup.Marker m = LocalCleanup.Marker.parse(marker);
            if (m.attempt() == tag.attempt() && m.ofRun(tag.runDir())) {
                spool.delete();
            }
        }
    }

    /** The memory watch's baseline for the next attempt, when {@link #prepare} began taking it. */
    private java.util.concurrent.CompletableFuture<OomWatch.Baseline> baseline;

    @Override
    public String name() {
        return "local";
    }

    /** Reading the kernel log's position runs a process (tens of milliseconds): it need not delay the start. */
    @Override
    public synchronized void prepare() {
        if (baseline == null) {
            baseline = dev.medic.util.Background.supply("medic-oom-baseline", OomWatch.Baseline::take);
        }
    }

    /** The prepared baseline (taken before this call, so before the child), else one taken now. */
    private synchronized OomWatch.Baseline takeBaseline() {
        var prepared = baseline;
        baseline = null;
        if (prepared != null) {
            try {
                return prepared.join();
            } catch (RuntimeException e) {
                // taken again below
            }
        }
        return OomWatch.Baseline.take();
    }

    @Override
    public RunningAttempt start(RunSpec spec, AttemptTag tag, OutputSink sink) {
        Path exe = resolve(spec.getArgv().get(0), spec);
        checkInterpreter(exe);
        List<String> cmd = new ArrayList<>();
        Path setsid = SETSID.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (setsid != null) {
            cmd.add(setsid.toString());
        }
        Spool spool;
        try {
            spool = Spool.create();
        } catch (IOException e) {
            throw new BackendException(ExitCodes.BACKEND_UNAVAILABLE, "cannot make the output spool of " + spec.getArgv().get(0)
                    + " in the temporary folder: " + e.getMessage());
        }
        cmd.addAll(List.of("/bin/sh", "-c", LAUNCHER, "medic-attempt", spool.exitFile().toString(), exe.toString()));
        cmd.addAll(spec.getArgv().subList(1, spec.getArgv().size()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(spec.getWorkdir().toFile());
        pb.environment().clear();
        pb.environment().putAll(spec.getEnv());
        // every process of the attempt inherits this, so medic can find them all when it stops it or takes it up again
        String marker = LocalCleanup.marker(tag.attempt(), tag.runDir());
        pb.environment().put(ProcessGroup.MARKER, marker);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return LocalAttempt.start(pb, marker, spool, sink, takeBaseline());
        } catch (IOException e) {
            spool.delete();
            throw new BackendException(ExitCodes.BAD_INPUT, "cannot start " + spec.getArgv().get(0) + ": " + e.getMessage());
        }
    }

    @Override
    public CommandResult runCommand(RunSpec like, List<String> argv, java.util.Map<String, String> env, java.time.Duration timeout,
                                    Path log) throws InterruptedException {
        return LocalCommand.run(argv, env, like.getWorkdir(), timeout, log);
    }

    /** A script whose #! interpreter does not exist would fail the same way at every attempt: bad input. */
    static void checkInterpreter(Path exe) {
        try (var in = Files.newInputStream(exe)) {
            byte[] head = in.readNBytes(256);
            if (head.length < 2 || head[0] != '#' || head[1] != '!') {
                return;
            }
            String line = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).substring(2).split("\n", 2)[0].strip();
            String interpreter = line.split("\\s+", 2)[0];
            if (!interpreter.isEmpty() && !Files.isExecutable(Path.of(interpreter))) {
                throw new BackendException(ExitCodes.BAD_INPUT, exe + ": its interpreter " + interpreter + " does not exist");
            }
        } catch (IOException e) {
            // unreadable but executable: let exec decide
        }
    }

    /** The executable the command names, looked up on the child's PATH; a clear error when there is none. */
    static Path resolve(String program, RunSpec spec) {
        if (program.contains("/")) {
            Path p = spec.getWorkdir().resolve(program);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new BackendException(ExitCodes.BAD_INPUT, "command not found or not executable: " + program);
            }
            return Path.of(program).isAbsolute() ? p : p.toAbsolutePath().normalize();
        }
        String path = spec.getEnv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = spec.getWorkdir().resolve(dir).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new BackendException(ExitCodes.BAD_INPUT, "command not found: " + program + " (not on PATH)");
    }
}
