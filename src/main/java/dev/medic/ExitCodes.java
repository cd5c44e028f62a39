package dev.medic;

/** Process exit codes, in one place so that every command and every document agrees. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The run failed, escalated, or ran out of attempts. */
    public static final int RUN_FAILED = 1;
    /** Usage, catalog or rule errors. */
    public static final int BAD_INPUT = 2;
    /** The backend (a process launcher, Docker, Slurm) could not be reached. */
    public static final int BACKEND_UNAVAILABLE = 3;
    public static final int INTERNAL_ERROR = 4;
    /** Another live supervisor holds the run (its lock file), so this one will not touch it. */
    public static final int RUN_LOCKED = 5;
    /** {@code medic doctor}: at least one check failed (each is a FAIL line). */
    public static final int CHECK_FAILED = 6;
    public static final int INTERRUPTED_INT = 130;
    public static final int INTERRUPTED_TERM = 143;

    private ExitCodes() {
    }
}
