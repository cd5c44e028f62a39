package dev.medic.supervise;

import dev.medic.backend.CommandResult;
import dev.medic.backend.RunBackend;
import dev.medic.backend.local.LocalCommand;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixAction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Carries out a fix's actions between attempts: a command on this host, or where the attempts run
 * (the backend's environment: a container), with its output saved in the run folder; or a file
 * written into the run folder.
 */
final class ActionRunner {
    /** How an action went, and where its output is (null when it has none). */
    record Result(boolean ok, String summary, List<String> tail, Path log) {
    }

    Result run(FixAction action, RunBackend backend, RunSpec spec, Path log) throws InterruptedException {
        if (action instanceof FixAction.WriteFile w) {
            return write(w);
        }
        FixAction.RunCommand c = (FixAction.RunCommand) action;
        CommandResult r = c.whereAttemptsRun()
                ? backend.runCommand(spec, c.argv(), c.env(), c.timeout(), log)
                : LocalCommand.run(c.argv(), c.env(), c.workdir(), c.timeout(), log);
        return new Result(r.ok(), r.summary(), r.tail(), log);
    }

    /**
     * A new file, created with the original's mode (the umask may narrow it, never widen it). On a file
     * system that widens it anyway (a default ACL) nothing is written, rather than a secret exposed.
     */
    private static Result write(FixAction.WriteFile w) {
        try {
            Files.createDirectories(w.path().getParent());
            Files.deleteIfExists(w.path());
            try (SeekableByteChannel out = Files.newByteChannel(w.path(), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(w.mode()))) {
                Set<PosixFilePermission> got = Files.getPosixFilePermissions(w.path(), LinkOption.NOFOLLOW_LINKS);
                if (!w.mode().containsAll(got)) {
                    Files.delete(w.path());
                    return new Result(false, "not writing " + w.path() + ": it came out " + PosixFilePermissions.toString(got)
                            + ", wider than the original's " + PosixFilePermissions.toString(w.mode()), List.of(), null);
                }
                ByteBuffer content = ByteBuffer.wrap(w.content());
                while (content.hasRemaining()) {
                    out.write(content);
                }
                return new Result(true, "wrote " + w.path() + " (" + PosixFilePermissions.toString(got) + ")", List.of(), null);
            }
        } catch (IOException e) {
            return new Result(false, "cannot write " + w.path() + ": " + e.getMessage(), List.of(), null);
        }
    }
}
