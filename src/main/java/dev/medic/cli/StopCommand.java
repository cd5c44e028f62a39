package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.journal.RunStatus;
import dev.medic.supervise.RunLock;
import dev.medic.supervise.RunSummary;
import dev.medic.util.Durations;
import dev.medic.util.Supervisors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Stops a run the way SIGTERM to its medic does: the attempt's processes are stopped, the journal closed, the run ends as interrupted.",
        "Waits until its supervisor has exited."})
final class StopCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run id (or its beginning), SWEEP/RUN, or a run folder.")
    String run;

    @Mixin
    RunDirs dirs;

    @Option(names = "--timeout", defaultValue = "2m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long to wait for the supervisor to exit (default: ${DEFAULT-VALUE}).")
    Duration timeout;


    @Override
    public Integer call() throws Exception {
        Path dir = dirs.resolve(run);
        RunSummary before = RunSummary.read(dir);
        RunLock.Owner owner = before.owner();
        if (owner == null) {
            System.out.println("run " + before.runId() + " is not running (" + before.status() + ")"
                    + (before.status() == RunStatus.DEAD ? "; medic cleanup stops what its supervisor left" : ""));
            return ExitCodes.SUCCESS;
        }
        Path trials = dir.toAbsolutePath().getParent();
        if (trials != null && trials.getFileName().toString().equals("trials") && trials.getParent() != null) {
            // one medic supervises every trial of a sweep: its SIGTERM stops the sweep, not one trial
            throw MedicException.badInput("run " + before.runId() + " is a trial of sweep " + trials.getParent().getFileName()
                    + ", whose medic (pid " + owner.pid() + ") supervises all its trials; stop the sweep with kill -TERM "
                    + owner.pid() + " (medic sweep --resume continues it)");
        }
        if (!owner.onThisHost()) {
            throw MedicException.badInput("run " + before.runId() + " is supervised on " + owner.host() + "; run medic stop there");
        }
        Optional<ProcessHandle> supervisor = ProcessHandle.of(owner.pid());
        if (supervisor.isPresent() && !supervisor.get().destroy() && supervisor.get().isAlive()) {
            throw MedicException.badInput("cannot signal the supervisor of run " + before.runId() + " (pid " + owner.pid()
                    + "): not permitted for this user");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (RunSummary.read(dir).live() || !Supervisors.hasExited(owner.pid())) {
            if (System.nanoTime() > deadline) {
                throw new MedicException(ExitCodes.RUN_FAILED, "run " + before.runId() + " did not stop within "
                        + Durations.format(timeout) + " (supervisor pid " + owner.pid() + ")");
            }
            Thread.sleep(100);
        }
        System.out.println("stopped run " + before.runId() + " (" + RunSummary.read(dir).status() + ")");
        return ExitCodes.SUCCESS;
    }
}
