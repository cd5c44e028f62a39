package dev.medic.util;

import dev.medic.ExitCodes;
import dev.medic.MedicException;

import java.nio.file.Path;

/**
 * Medic met a symbolic link (or a FIFO, a device, a socket) where it was about to write (or read
 * back) a file of a run or sweep folder: something other than medic put it there, most likely the training process, so medic
 * refuses rather than follow it. The message is the one line the user sees; the run ends with exit
 * code 1, as a failed run.
 */
public final class LinkRefusedException extends MedicException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    LinkRefusedException(String verb, Path file, Path link, String folderKind) {
        this(verb, file, link, "a symbolic link", folderKind);
    }

    /** {@code what}: what stands at {@code link} instead of a file or folder medic made ("a FIFO", ...). */
    LinkRefusedException(String verb, Path file, Path link, String what, String folderKind) {
        super(ExitCodes.RUN_FAILED, "refusing to " + verb + " " + file + ": "
                + (link.equals(file) ? "it" : link.toString()) + " is " + what + "; a " + folderKind
                + " holds only what medic made");
        this.path = file;
    }

    /** The file medic was about to open. */
    public Path path() {
        return path;
    }
}
