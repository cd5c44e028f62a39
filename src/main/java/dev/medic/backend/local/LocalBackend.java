package dev.medic.backend.local;

import dev.medic.ExitCodes;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.BackendException;
import dev.medic.backend.CommandResult;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.facts.RunSpec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an attempt as a local child process, straight from its argv (no shell), in a session and
 * process group of its own (through {@code setsid}) so that stopping it reaches every process it
 * started. Standard input is /dev/null.
 */
public final class LocalBackend implements RunBackend {
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    @Override
    public java.util.List<String> stopLeftovers() throws InterruptedException {
        return new LocalCleanup().stopOrphans(5000);
    }

    @Override
    public String name() {
        return "local";
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
        cmd.add(exe.toString());
        cmd.addAll(spec.getArgv().subList(1, spec.getArgv().size()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(spec.getWorkdir().toFile());
        pb.environment().clear();
        pb.environment().putAll(spec.getEnv());
        // every process of the attempt inherits this, so medic can find them all when it stops it
        String marker = LocalCleanup.marker(System.nanoTime());
        pb.environment().put(ProcessGroup.MARKER, marker);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return LocalAttempt.start(pb, marker, sink);
        } catch (IOException e) {
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
