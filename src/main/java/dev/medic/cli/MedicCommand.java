package dev.medic.cli;

import dev.medic.Version;
import picocli.CommandLine.Command;

@Command(name = "medic",
        description = "Supervises a machine-learning run: recognises failures, applies fixes, retries, escalates.",
        mixinStandardHelpOptions = true,
        versionProvider = MedicCommand.VersionProvider.class,
        footer = {"", "Exit codes: 0 success, 1 run failed or escalated, 2 bad input,",
                "3 backend unavailable, 4 internal error, 5 the run is held by another medic,",
                "6 a doctor check failed, 130/143 interrupted by SIGINT/SIGTERM."})
public final class MedicCommand implements Runnable {
    /**
     * The subcommands by name, in the order help lists them. Added by {@link Main} rather than
     * named in the annotation: picocli reflects every subcommand it is given (see Main).
     */
    static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, java.util.function.Supplier<Object>> subcommands() {
        java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        m.put("run", RunCommand::new);
        m.put("check", CheckCommand::new);
        m.put("replay", ReplayCommand::new);
        m.put("eval", EvalCommand::new);
        m.put("history", HistoryCommand::new);
        m.put("report", ReportCommand::new);
        m.put("triage", TriageCommand::new);
        m.put("catalog", CatalogCommand::new);
        m.put("notify", NotifyCommand::new);
        m.put("cleanup", CleanupCommand::new);
        m.put("gc", GcCommand::new);
        m.put("compute", ComputeCommand::new);
        m.put("sweep", SweepCommand::new);
        m.put("ps", PsCommand::new);
        m.put("logs", LogsCommand::new);
        m.put("stop", StopCommand::new);
        m.put("doctor", DoctorCommand::new);
        return java.util.Collections.unmodifiableMap(m);
    }

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
