package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.supervise.Preload;
import dev.medic.util.Exits;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/** Entry point: runs one command and exits with its code. Errors are one line, never a stack trace. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Exits.exit(execute(args));
    }

    public static int execute(String[] args) {
        try {
            CommandLine cl;
            try {
                cl = commandLine(args);
            } catch (MedicException e) {
                System.err.println("medic: " + e.getMessage());
                return e.exitCode();
            }
            return cl.execute(args);
        } finally {
            Preload.discard();
        }
    }

    static CommandLine commandLine(String[] args) {
        ConfigFile config = ConfigFile.forArgs(Arrays.asList(args));
        if (args.length > 0 && args[0].equals("run")) {
            Sources.preloadForRun(Arrays.asList(args), config);
        }
        CommandLine cl = new CommandLine(new MedicCommand());
        // picocli reflects every option of every subcommand it is given, in classes the class-data
        // archive cannot hold (Java 5 bytecode): the whole tree takes about 0.05 s longer than one
        // command. A command line that names its subcommand gets only that one; the top-level help
        // and the check of a config file's keys against every option need them all.
        String named = args.length > 0 ? args[0] : "";
        if (config.isEmpty() && MedicCommand.SUBCOMMANDS.containsKey(named)) {
            cl.addSubcommand(named, MedicCommand.SUBCOMMANDS.get(named).get());
        } else {
            MedicCommand.SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        config.validate(cl);
        cl.setDefaultValueProvider(config);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::executionError);
        for (String positional : new String[] {"run", "sweep"}) {
            if (cl.getSubcommands().containsKey(positional)) {
                cl.getSubcommands().get(positional).setStopAtPositional(true);
            }
        }
        return cl;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("medic: " + firstLine(e.getMessage()) + " (see 'medic " + commandPath(e.getCommandLine()) + "--help')");
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    private static int executionError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof MedicException m) {
            for (String line : m.getMessage().split("\n")) {
                err.println("medic: " + line);
            }
            err.flush();
            return m.exitCode();
        }
        err.println("medic: internal error: " + e + (System.getenv("MEDIC_DEBUG") == null
                ? " (set MEDIC_DEBUG=1 for the stack trace)" : ""));
        if (System.getenv("MEDIC_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder b = new StringBuilder();
        for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
            b.insert(0, c.getCommandName() + " ");
        }
        return b.toString();
    }
}
