package dev.medic.facts;

import java.util.List;

/**
 * One attempt of a run. Inserted when the attempt starts and updated once when it ends; rules
 * that need the outcome match on {@code finished == true}.
 */
public final class Attempt {
    private final int number;
    private final RunSpec spec;
    private final long startMillis;
    private boolean finished;
    private Integer exitCode;
    private String signal;
    private boolean oomKilled;
    private boolean oomChecked;
    private List<String> oomRecords = List.of();
    private boolean timedOut;
    private boolean stalled;
    private String stoppedFor;
    private long durationMillis;
    private long lastOutputMillis;

    public Attempt(int number, RunSpec spec, long startMillis) {
        this.number = number;
        this.spec = spec;
        this.startMillis = startMillis;
    }

    public int getNumber() {
        return number;
    }

    /** What the attempt ran (argv, env, workdir). */
    public RunSpec getSpec() {
        return spec;
    }

    public long getStartMillis() {
        return startMillis;
    }

    public boolean isFinished() {
        return finished;
    }

    /** The exit code, or null while running or when the backend could not tell. */
    public Integer getExitCode() {
        return exitCode;
    }

    /** The signal that ended the attempt ("KILL", "TERM", ...), or null. */
    public String getSignal() {
        return signal;
    }

    /** True when the backend reports a kill by an out-of-memory killer (Docker's OOMKilled, Slurm's OUT_OF_MEMORY). */
    public boolean isOomKilled() {
        return oomKilled;
    }

    /**
     * True when the backend looked for the system's records of an out-of-memory kill (a live
     * attempt); false in {@code medic replay} and {@code eval}, where only the log is known.
     */
    public boolean isOomChecked() {
        return oomChecked;
    }

    /**
     * What the system recorded of an out-of-memory kill of the attempt's processes (a kernel log
     * line, a cgroup's OOM-kill counter that rose, resident memory at the limit, Docker's
     * OOMKilled, Slurm's OUT_OF_MEMORY), one line a record; empty when none was found or sought.
     */
    public List<String> getOomRecords() {
        return oomRecords;
    }

    /** The records joined with "; ", or null when there are none: what rules test and the journal shows. */
    public String getOomEvidence() {
        return oomRecords.isEmpty() ? null : String.join("; ", oomRecords);
    }

    /** Stopped by medic because it ran past the attempt timeout. */
    public boolean isTimedOut() {
        return timedOut;
    }

    /** Stopped by medic because it printed nothing for the stall timeout. */
    public boolean isStalled() {
        return stalled;
    }

    /** The failure id for which medic stopped the attempt early, or null. */
    public String getStoppedFor() {
        return stoppedFor;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    /** Wall-clock time of the last output line, 0 if there was none. */
    public long getLastOutputMillis() {
        return lastOutputMillis;
    }

    /** True when the attempt ended in a way that is not success (non-zero exit, a signal, or stopped by medic). */
    public boolean isFailed() {
        return finished && ((exitCode != null && exitCode != 0) || signal != null || timedOut || stalled || oomKilled);
    }

    public void finish(Integer exitCode, String signal, boolean oomKilled, long durationMillis, long lastOutputMillis) {
        this.finished = true;
        this.exitCode = exitCode;
        this.signal = signal;
        this.oomKilled = oomKilled;
        this.durationMillis = durationMillis;
        this.lastOutputMillis = lastOutputMillis;
    }

    /** The backend looked for out-of-memory records and found these (empty: none). */
    public void recordOomCheck(List<String> records) {
        this.oomChecked = true;
        this.oomRecords = List.copyOf(records);
    }

    public void markTimedOut() {
        this.timedOut = true;
    }

    public void markStalled() {
        this.stalled = true;
    }

    public void markStoppedFor(String failureId) {
        this.stoppedFor = failureId;
    }

    /** A one-line description of how the attempt ended. */
    public String describeEnd() {
        if (!finished) {
            return "running";
        }
        StringBuilder b = new StringBuilder();
        if (exitCode != null) {
            b.append("exit code ").append(exitCode);
        }
        if (signal != null) {
            b.append(b.length() > 0 ? ", " : "").append("signal ").append(signal);
        }
        if (oomKilled) {
            b.append(", killed for memory");
        }
        if (timedOut) {
            b.append(", stopped at the attempt timeout");
        }
        if (stalled) {
            b.append(", stopped after no output for the stall timeout");
        }
        if (stoppedFor != null) {
            b.append(", stopped early for ").append(stoppedFor);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Attempt " + number + " (" + describeEnd() + ")";
    }
}
