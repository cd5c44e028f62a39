package dev.medic;

/**
 * A failure that the user can act on: it carries the exit code and a one-line message, and is
 * printed without a stack trace.
 */
public class MedicException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public MedicException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public MedicException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static MedicException badInput(String message) {
        return new MedicException(ExitCodes.BAD_INPUT, message);
    }
}
