package dev.medic.supervise;

import dev.medic.backend.CommandResult;
import dev.medic.backend.RunBackend;
import dev.medic.backend.local.LocalCommand;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixAction;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Carries out a fix's actions between attempts: a command on this host, or where the attempts run
 * (the backend's environment: a container), with its output saved in the run folder; or a file
 * written into the run folder. Both go through the run folder's {@link PrivateFolder}: a link
 * planted where the output or the file goes is refused, and the run ends.
 */
final class ActionRunner {
    /** How an action went, and where its output is (null when it has none). */
    record Result(boolean ok, String summary, List<String> tail, Path log) {
    }

    Result run(FixAction action, RunBackend backend, RunSpec spec, PrivateFolder folder, Path log) throws InterruptedException {
        if (action instanceof FixAction.WriteFile w) {
            try {
                folder.directory(w.path().getParent());
                folder.write(w.path(), w.content());
                return new Result(true, "wrote " + w.path(), List.of(), null);
            } catch (IOException e) {
                return new Result(false, "cannot write " + w.path() + ": " + e.getMessage(), List.of(), null);
            }
        }
        FixAction.RunCommand c = (FixAction.RunCommand) action;
        try {
            // made here, private and refusing a link; the backend then appends to it without following one
            folder.append(log).close();
        } catch (IOException e) {
            return new Result(false, "cannot write " + log + ": " + e.getMessage(), List.of(), null);
        }
        CommandResult r = c.whereAttemptsRun()
                ? backend.runCommand(spec, c.argv(), c.env(), c.timeout(), log)
                : LocalCommand.run(c.argv(), c.env(), c.workdir(), c.timeout(), log);
        return new Result(r.ok(), r.summary(), r.tail(), log);
    }
}
