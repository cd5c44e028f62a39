package dev.medic.backend;

import dev.medic.MedicException;

/** An attempt could not be started: the backend is unreachable (exit 3) or the request is bad (exit 2). */
public final class BackendException extends MedicException {
    private static final long serialVersionUID = 1L;

    public BackendException(int exitCode, String message) {
        super(exitCode, message);
    }
}
