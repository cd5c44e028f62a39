package dev.medic.supervise;

import dev.medic.backend.CommandResult;
import dev.medic.backend.RunBackend;
import dev.medic.backend.local.LocalCommand;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixAction;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
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
            return write(w, folder);
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

    /**
     * The copy is written private and never through a link (the run folder is the training's to
     * see), then given the original's mode: a 0600 config holding a key stays 0600, and a copy is
     * never wider than what it copies.
     */
    private static Result write(FixAction.WriteFile w, PrivateFolder folder) {
        try {
            folder.directory(w.path().getParent());
            folder.write(w.path(), w.content());
            PosixFileAttributeView view = Files.getFileAttributeView(w.path(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view != null) {
                // a file system without POSIX modes has nothing to carry over
                view.setPermissions(w.mode());
            }
            return new Result(true, "wrote " + w.path() + " (" + PosixFilePermissions.toString(w.mode()) + ")", List.of(), null);
        } catch (IOException e) {
            return new Result(false, "cannot write " + w.path() + ": " + e.getMessage(), List.of(), null);
        }
    }
}
