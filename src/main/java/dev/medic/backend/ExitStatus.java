package dev.medic.backend;

import java.util.List;

/**
 * How an attempt ended, as far as the backend can tell.
 *
 * @param oomKilled  the engine or scheduler says it killed the attempt for memory (Docker's
 *                   OOMKilled, Slurm's OUT_OF_MEMORY)
 * @param timedOut   the backend stopped it at its own time limit (a Slurm job's --time)
 * @param lost       the attempt was lost through no fault of the run (a preempted job, a failed
 *                   node): it is run again without judging it or spending an attempt
 * @param state      the backend's own word for the end (a Slurm job state), or null
 * @param oomRecords what the system recorded of an out-of-memory kill of the attempt, one line a
 *                   record (a kernel log line, a cgroup's OOM-kill counter that rose, Docker's
 *                   OOMKilled); empty when it recorded none
 * @param oomChecked the backend looked for such records (a live attempt); false for an attempt
 *                   taken up after its supervisor died, whose watch did not see it all
 */
public record ExitStatus(Integer exitCode, String signal, boolean oomKilled, boolean timedOut, boolean lost, String state,
                         List<String> oomRecords, boolean oomChecked) {
    public ExitStatus {
        oomRecords = oomRecords == null ? List.of() : List.copyOf(oomRecords);
        if (oomKilled && oomRecords.isEmpty()) {
            oomRecords = List.of("the backend reported an out-of-memory kill");
        }
    }

    public ExitStatus(Integer exitCode, String signal, boolean oomKilled, boolean timedOut, boolean lost, String state) {
        this(exitCode, signal, oomKilled, timedOut, lost, state, List.of(), true);
    }

    public ExitStatus(Integer exitCode, String signal, boolean oomKilled) {
        this(exitCode, signal, oomKilled, false, false, null);
    }

    /** The same end, with this record of the out-of-memory kill in place of any other. */
    public ExitStatus withOomRecord(String record) {
        return new ExitStatus(exitCode, signal, oomKilled, timedOut, lost, state, List.of(record), oomChecked);
    }
}
