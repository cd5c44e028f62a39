package dev.medic.backend;

import java.time.Duration;

/** A started attempt. Its output goes to the {@link OutputSink} given at start. */
public interface RunningAttempt {
    /** The operating-system id of the main process, or -1 where there is none (a container, a job). */
    long pid();

    /** What to call the attempt's process in messages: {@code pid 1234}, {@code container 3f2a...}. */
    default String handle() {
        return "pid " + pid();
    }

    /**
     * False while the attempt waits for resources (a Slurm job in the queue): its time limits and
     * stall clock start when it starts running, not when it was submitted.
     */
    default boolean started() {
        return true;
    }

    /** The exit status once the main process has ended, else null. */
    ExitStatus exitStatus();

    /** Waits up to {@code timeout} for both output streams to be closed; true when they are. */
    boolean awaitOutput(Duration timeout) throws InterruptedException;

    /**
     * Stops everything the attempt started (its whole process group): TERM, then KILL for what is
     * still there after {@code grace}. Returns once nothing is left or KILL was sent and reaped.
     */
    void stop(Duration grace) throws InterruptedException;

    /** Gives up on output that never closes (a process that escaped the group still holds the pipe). */
    void abandonOutput();

    /**
     * Ends the attempt for good: waits briefly for its output to close after its main process
     * ended, stops what is left of it (leftover members of its process group do not outlive it),
     * gives up on output held open by processes that escaped, and frees what it left. Its output
     * is complete when this returns, as far as it can be.
     */
    default void close(Duration killGrace) throws InterruptedException {
        awaitOutput(OUTPUT_AFTER_EXIT);
        stop(killGrace);
        if (!awaitOutput(Duration.ofSeconds(5))) {
            abandonOutput();
            awaitOutput(Duration.ofSeconds(5));
        }
        release();
    }

    /** After the main process exits, how long its output may take to close before leftovers are stopped. */
    Duration OUTPUT_AFTER_EXIT = Duration.ofMillis(500);

    /** Frees what the attempt left once its output is saved (a container, temporary pipes). */
    default void release() {
    }

    /** What a later supervisor needs to take the attempt up again, journaled with its start. */
    default java.util.Map<String, Object> adoptionFields() {
        return java.util.Map.of();
    }

    /** The attempt's end is journaled: what was kept for a supervisor that might take it up can go. */
    default void journaled() {
    }
}
