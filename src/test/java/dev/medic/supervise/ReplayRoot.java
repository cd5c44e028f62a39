package dev.medic.supervise;

import dev.medic.facts.Context;

import java.nio.file.Files;
import java.nio.file.Path;

/** The root failure a replayer names for a log written into a folder, or null for none. */
final class ReplayRoot {
    private ReplayRoot() {
    }

    static String of(Replayer replayer, Path dir, String log, int exit, Context context) throws Exception {
        Path p = Files.createTempFile(dir, "case", ".log");
        Files.writeString(p, log);
        var v = replayer.replay(p, exit, null, context, 64 * 1024);
        return v.root() == null ? null : v.root().getId();
    }
}
