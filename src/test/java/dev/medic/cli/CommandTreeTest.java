package dev.medic.cli;

import dev.medic.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command line that names its subcommand is parsed as before, whichever subcommands medic builds for it. */
class CommandTreeTest {
    @TempDir
    Path tmp;

    @Test
    void theTopLevelHelpListsEveryCommand() {
        InProcess r = InProcess.run("--help");
        assertEquals(0, r.exitCode(), r.err());
        for (String name : MedicCommand.SUBCOMMANDS.keySet()) {
            assertTrue(r.out().contains("\n  " + name + " "), name + " in:\n" + r.out());
        }
    }

    @Test
    void aSubcommandsHelpNamesItsPath() {
        InProcess r = InProcess.run("run", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Usage: medic run "), r.out());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        InProcess r = InProcess.run("rnu", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
    }

    @Test
    void aBadOptionOfTheNamedCommandSaysWhichCommand() {
        InProcess r = InProcess.run("run", "--no-such-option", "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("see 'medic run --help'"), r.err());
    }

    @Test
    void aConfigFileMayHoldAnotherCommandsOptions() throws Exception {
        // `trials` is sweep's: the file is shared by the commands, so run accepts it and uses what is its own
        Path config = Files.writeString(tmp.resolve("medic.yaml"), "trials: t.yaml\nmax-attempts: 1\n");
        InProcess r = InProcess.run("run", "--config", config.toString(), "--run-dir", tmp.resolve("runs").toString(), "--", "true");
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void aConfigKeyNoCommandKnowsIsRefused() throws Exception {
        Path config = Files.writeString(tmp.resolve("medic.yaml"), "no-such-option: 1\n");
        InProcess r = InProcess.run("run", "--config", config.toString(), "--run-dir", tmp.resolve("runs").toString(), "--", "true");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("no-such-option: unknown option"), r.err());
    }
}
