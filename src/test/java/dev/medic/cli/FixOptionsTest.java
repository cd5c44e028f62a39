package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.supervise.RunOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** medic run and medic sweep set the fix settings that come from the command line in one place, so alike. */
class FixOptionsTest {
    private static final List<String> DOCKER = List.of("--backend", "docker", "--image", "python:3.12", "--network", "bridge",
            "--pip-target", "/pkgs", "--shm-size", "1g", "--pip-policy", "any", "--pip", "/venv/bin/python -m pip",
            "--checkpoint-dir", "out");
    private static final RunOptions BASE = RunOptions.defaults(Path.of("runs"));

    private static RunCommand run(List<String> options) {
        RunCommand c = new RunCommand();
        new CommandLine(c).parseArgs(with(options, "--", "python", "train.py"));
        return c;
    }

    private static SweepCommand sweep(List<String> options) {
        SweepCommand c = new SweepCommand();
        new CommandLine(c).parseArgs(with(options, "--grid", "lr=0.1,0.01", "--", "python", "train.py", "--lr", "{lr}"));
        return c;
    }

    private static String[] with(List<String> options, String... rest) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void aSweepWithDockerOptionsGetsTheFixSettingsOfARunWithThem() {
        RunCommand r = run(DOCKER);
        SweepCommand s = sweep(DOCKER);
        Map<String, Map<String, Object>> expected = Map.of(
                "pip_install", Map.of("command", List.of("/venv/bin/python", "-m", "pip"), "policy", "any", "in_container", true,
                        "index_reachable", true, "target", "/pkgs"),
                "raise_shm_size", Map.of("in_container", true),
                "resume_from_checkpoint", Map.of("dirs", List.of("out")));
        assertEquals(expected, r.fixes.apply(BASE, true, r.docker).fixSettings());
        assertEquals(expected, s.fixes.apply(BASE, true, s.docker).fixSettings());
        assertEquals(Map.of("shm_size", Long.toString(1L << 30)), FixOptions.backendSettings(true, r.docker));
        assertEquals(FixOptions.backendSettings(true, r.docker), FixOptions.backendSettings(true, s.docker));
    }

    @Test
    void withoutANetworkOrWheelsThePackageIndexIsNotReachable() {
        List<String> none = DOCKER.stream().map(o -> o.equals("bridge") ? "none" : o).toList();
        SweepCommand s = sweep(none);
        assertEquals(false, s.fixes.apply(BASE, true, s.docker).fixSettings().get("pip_install").get("index_reachable"));
        List<String> wheels = new ArrayList<>(none);
        wheels.addAll(List.of("-e", "PIP_FIND_LINKS=/wheels"));
        SweepCommand w = sweep(wheels);
        assertEquals(true, w.fixes.apply(BASE, true, w.docker).fixSettings().get("pip_install").get("index_reachable"));
    }

    @Test
    void outsideContainersOnlyTheFlagsSettingsAreSet() {
        SweepCommand s = sweep(List.of("--checkpoint-dir", "ckpt"));
        assertEquals(Map.of("resume_from_checkpoint", Map.of("dirs", List.of("ckpt"))), s.fixes.apply(BASE, false, s.docker).fixSettings());
        assertEquals(Map.of(), FixOptions.backendSettings(false, s.docker));
    }

    @Test
    void aBadPipPolicyIsRefusedByBoth() {
        assertEquals("--pip-policy must be known or any, not 'some'",
                assertThrows(MedicException.class, () -> run(List.of("--pip-policy", "some")).fixes.check()).getMessage());
        assertEquals("--pip-policy must be known or any, not 'some'",
                assertThrows(MedicException.class, () -> sweep(List.of("--pip-policy", "some")).fixes.check()).getMessage());
    }
}
