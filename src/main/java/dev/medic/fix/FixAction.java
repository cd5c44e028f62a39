package dev.medic.fix;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Something the supervisor does between attempts on a fix's behalf; the journal records each. */
public sealed interface FixAction {
    String description();

    /**
     * Runs a command (an argv list, never a shell string) with a time limit; a non-zero exit fails
     * the fix. With {@code whereAttemptsRun} it runs where the attempts run (a container of the
     * run's image, its mounts and network), else on this host.
     */
    record RunCommand(String description, List<String> argv, Map<String, String> env, Path workdir, Duration timeout,
                      boolean whereAttemptsRun) implements FixAction {
        public RunCommand {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
        }
    }

    /**
     * Writes a new file inside the run folder (a changed copy of a user's config; the original is never
     * touched) with at most the permissions in {@code mode}, the original's, so a private config stays private.
     */
    record WriteFile(String description, Path path, byte[] content, Set<PosixFilePermission> mode) implements FixAction {
        public WriteFile {
            mode = Set.copyOf(mode);
        }
    }
}
