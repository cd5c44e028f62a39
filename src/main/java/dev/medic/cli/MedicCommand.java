package dev.medic.cli;

import dev.medic.Version;
import picocli.CommandLine.Command;

@Command(name = "medic",
        description = "Supervises a machine-learning run: recognises failures, applies fixes, retries, escalates.",
        mixinStandardHelpOptions = true,
        versionProvider = MedicCommand.VersionProvider.class,
        subcommands = {RunCommand.class, CheckCommand.class, ReplayCommand.class, EvalCommand.class, HistoryCommand.class, TriageCommand.class, CatalogCommand.class, NotifyCommand.class, CleanupCommand.class, GcCommand.class, ComputeCommand.class, SweepCommand.class, PsCommand.class, LogsCommand.class, StopCommand.class, DoctorCommand.class},
        footer = {"", "Exit codes: 0 success, 1 run failed or escalated, 2 bad input,",
                "3 backend unavailable, 4 internal error, 5 the run is held by another medic,",
                "6 a doctor check failed, 130/143 interrupted by SIGINT/SIGTERM."})
public final class MedicCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required (run, check, replay, history)");
    }

    static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"medic " + Version.get()};
        }
    }
}
