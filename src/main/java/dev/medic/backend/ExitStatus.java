package dev.medic.backend;

/**
 * How an attempt ended, as far as the backend can tell.
 *
 * @param timedOut  the backend stopped it at its own time limit (a Slurm job's --time)
 * @param lost      the attempt was lost through no fault of the run (a preempted job, a failed
 *                  node): it is run again without judging it or spending an attempt
 * @param state     the backend's own word for the end (a Slurm job state), or null
 */
public record ExitStatus(Integer exitCode, String signal, boolean oomKilled, boolean timedOut, boolean lost, String state) {
    public ExitStatus(Integer exitCode, String signal, boolean oomKilled) {
        this(exitCode, signal, oomKilled, false, false, null);
    }
}
