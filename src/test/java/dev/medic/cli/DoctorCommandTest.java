package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.backend.docker.DockerTestSupport;
import dev.medic.backend.slurm.SlurmTestSupport;
import dev.medic.compute.FakeNvidiaSmi;
import dev.medic.notify.FakeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic doctor` as a real process against real folders, rules, catalogs, sockets, PATHs and HTTP servers. */
class DoctorCommandTest {
    private static final String TOKEN = "123456789:AAdoctorTokenThatMustNotLeak_x";

    @TempDir
    Path tmp;

    private static final String JAVA = "ok    java: Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")";
    private static final String CATALOG = "ok    catalog: " + Fixtures.defaultCatalog().entries().size() + " failures from "
            + Fixtures.catalogDir() + "/ (beside bin/medic)";
    private static final String NO_CONFIG = "ok    config: none (no ./medic.yaml; defaults and flags only)";
    private static final String DISK_OK = "ok    disk: [0-9.]+ [MG]iB free at %s \\(at least 1\\.0 GiB wanted\\)";

    /** Each line printed, matched in order: a line of {@code expected} is a regular expression when it starts with "~". */
    private static void assertLines(List<String> expected, String out) {
        List<String> lines = out.lines().toList();
        assertEquals(expected.size(), lines.size(), out);
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            if (want.startsWith("~")) {
                assertTrue(lines.get(i).matches(want.substring(1)), "line " + (i + 1) + ": " + lines.get(i) + "\n  does not match " + want);
            } else {
                assertEquals(want, lines.get(i), out);
            }
        }
    }

    private static String rulesOk(Path dir) {
        return "~ok    rules: [0-9]+ rules from " + java.util.regex.Pattern.quote(dir + "/") + " (\\(beside bin/medic\\) )?compile";
    }

    /** Puts into {@code dir} a script for each of {@code tools} that runs the one on this machine's PATH. */
    private static Path withTools(Path dir, String... tools) throws Exception {
        for (String t : tools) {
            Path found = Path.of("/bin", t);
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (Files.isExecutable(Path.of(d, t))) {
                    found = Path.of(d, t);
                    break;
                }
            }
            Path script = Files.writeString(dir.resolve(t), "#!/bin/sh\nexec " + found + " \"$@\"\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    @Test
    void aHealthyLocalSetupPassesEveryCheckAndExitsZero() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, FakeNvidiaSmi.capturedH200(tmp.resolve("smi")), "doctor", "--run-dir", "runs",
                "--gpus", "device=GPU-14a9cb09-ae08-55c9-60a5-427ca9b9477d");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        Path runs = tmp.toRealPath().resolve("runs");
        assertLines(List.of(
                NO_CONFIG,
                JAVA,
                CATALOG,
                rulesOk(Fixtures.rulesDir()),
                "ok    run-dir: " + runs + " does not exist yet; medic can create it (" + tmp.toRealPath() + " is writable)",
                "~" + DISK_OK.formatted(java.util.regex.Pattern.quote(tmp.toRealPath().toString())),
                "skip  docker: not configured (--backend local)",
                "skip  slurm: not configured (--backend local)",
                "ok    gpus: 1 visible (1x NVIDIA H200)",
                "ok    notify console: escalations are printed on the terminal"), m.out());
        assertFalse(Files.exists(runs), "doctor creates nothing");
        assertEquals("", m.err());
    }

    @Test
    void everyCheckThatCannotPassIsOneFailLineAndTheExitIsFive() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Path rules = Fixtures.copyDir(Fixtures.rulesDir(), tmp, "rules");
        Files.writeString(rules.resolve("broken.drl"), "package dev.medic.rules;\nrule \"half\"\nwhen\n  $x : NoSuchFact( )\nthen\nend\n");
        Path catalog = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path failures = catalog.resolve("failures.yaml");
        Files.writeString(failures, Files.readString(failures).replace("budget: 6", "budget: -1"));
        Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(1), FakeNvidiaSmi.listing(1), 0));
        // a machine without the Slurm client: PATH holds the stand-in nvidia-smi and the two tools it uses
        env.put("PATH", withTools(tmp.resolve("smi"), "dirname", "cat").toString());
        env.put("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"));
        MedicProcess m = MedicProcess.start(tmp, env, "doctor", "--run-dir", file.resolve("runs").toString(),
                "--rules", rules.toString(), "--catalog", catalog.toString(), "--backend", "docker,slurm", "--gpus", "2",
                "--notify", "console,telegram", "--telegram-token-env", "DOCTOR_TEST_UNSET_TOKEN");
        assertEquals(ExitCodes.CHECK_FAILED, m.waitFor(), m.err());
        assertLines(List.of(
                NO_CONFIG,
                JAVA,
                "FAIL  catalog: catalog/failures.yaml: cuda_oom.ladder[1].budget: must be a positive integer",
                "FAIL  rules: rules/broken.drl:4: Unable to resolve ObjectType 'NoSuchFact'",
                "FAIL  run-dir: cannot create " + file.resolve("runs") + ": " + file + " is a file, not a folder",
                "~" + DISK_OK.formatted(java.util.regex.Pattern.quote(file.toString())),
                "FAIL  docker: Docker is not reachable at unix://" + tmp.resolve("no-engine.sock") + " (from DOCKER_HOST): "
                        + "No such file or directory. Start the engine (dockerd), set DOCKER_HOST, or use --fallback local",
                "FAIL  slurm: Slurm is not reachable: sinfo not found",
                "FAIL  gpus: --gpus 2: only 1 visible (1x NVIDIA H200)",
                "ok    notify console: escalations are printed on the terminal",
                "FAIL  notify telegram: --notify telegram needs the environment variable DOCTOR_TEST_UNSET_TOKEN"), m.out());
        assertEquals("medic: 7 check(s) failed: catalog, rules, run-dir, docker, slurm, gpus, notify telegram\n", m.err());
    }

    @Test
    void aRunFolderThatIsAFileAndTooLittleSpaceFail() throws Exception {
        Path file = Files.writeString(tmp.resolve("runs"), "x");
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "doctor", "--run-dir", file.toString(), "--min-free-space", "1000t",
                "--json");
        assertEquals(ExitCodes.CHECK_FAILED, m.waitFor(), m.err());
        JsonNode j = new ObjectMapper().readTree(m.out());
        assertFalse(j.path("ok").asBoolean());
        List<String> failed = new ArrayList<>();
        for (JsonNode c : j.path("checks")) {
            if (c.path("status").asText().equals("fail")) {
                failed.add(c.path("check").asText() + ": " + c.path("detail").asText());
            }
        }
        assertEquals(2, failed.size(), failed.toString());
        assertEquals("run-dir: " + file + " is a file, not a folder", failed.get(0));
        assertTrue(failed.get(1).matches("disk: [0-9.]+ [MG]iB free at " + java.util.regex.Pattern.quote(file.toString())
                + ", less than --min-free-space 1024000\\.0 GiB"), failed.get(1));
    }

    @Test
    void anUnreachableBackendIsAWarningWhenRunsFallBackAndMedicYamlNamesTheBackend() throws Exception {
        Files.writeString(tmp.resolve("medic.yaml"), "backend: docker\nfallback: local\n");
        Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), "", "", 9));
        env.put("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"));
        MedicProcess m = MedicProcess.start(tmp, env, "doctor", "--run-dir", "runs");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err() + m.out());
        List<String> lines = m.out().lines().toList();
        assertEquals("ok    config: " + tmp.toRealPath().resolve("medic.yaml"), lines.get(0));
        assertEquals("warn  docker: Docker is not reachable at unix://" + tmp.resolve("no-engine.sock") + " (from DOCKER_HOST): "
                + "No such file or directory. Start the engine (dockerd), set DOCKER_HOST; runs fall back to a local process"
                + " (--fallback local)", lines.get(6));
        assertEquals("skip  slurm: not configured (--backend docker)", lines.get(7));
        assertEquals("warn  gpus: none visible (nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate"
                + " with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.); runs get no GPU", lines.get(8));
    }

    @Test
    void sendPutsATestMessageThroughTelegramAndReportsAFailingWebhook() throws Exception {
        try (FakeServer telegram = new FakeServer(); FakeServer hook = new FakeServer().then(new FakeServer.Reply(500, "down"), new FakeServer.Reply(500, "down"))) {
            Map<String, String> env = new HashMap<>(FakeNvidiaSmi.env(tmp.resolve("smi"), FakeNvidiaSmi.query(1), FakeNvidiaSmi.listing(1), 0));
            env.put("TELEGRAM_BOT_TOKEN", TOKEN);
            env.put("TELEGRAM_CHAT_ID", "42");
            env.put("MEDIC_TELEGRAM_API", telegram.base());
            String hookUrl = hook.base() + "/hooks/" + TOKEN.replace(':', '-');
            MedicProcess quiet = MedicProcess.start(tmp, env, "doctor", "--run-dir", "runs", "--notify", "telegram,webhook",
                    "--webhook-url", hookUrl);
            assertEquals(ExitCodes.SUCCESS, quiet.waitFor(), quiet.err());
            List<String> lines = quiet.out().lines().toList();
            assertEquals(List.of(
                    "ok    notify telegram: configured: token in TELEGRAM_BOT_TOKEN, chat in TELEGRAM_CHAT_ID, API " + telegram.base()
                            + " (--send sends a test message)",
                    "ok    notify webhook: configured: POST to " + hook.base() + ", unsigned (MEDIC_WEBHOOK_SECRET is not set)"
                            + " (--send sends a test message)"), lines.subList(lines.size() - 2, lines.size()));
            assertEquals(0, telegram.requests.size() + hook.requests.size(), "no message without --send");

            MedicProcess m = MedicProcess.start(tmp, env, "doctor", "--run-dir", "runs", "--notify", "telegram,webhook",
                    "--webhook-url", hookUrl, "--send");
            assertEquals(ExitCodes.CHECK_FAILED, m.waitFor(), m.err());
            lines = m.out().lines().toList();
            assertEquals(List.of(
                    "ok    notify telegram: test message sent",
                    "FAIL  notify webhook: test message failed: the receiver answered 500"), lines.subList(lines.size() - 2, lines.size()));
            assertEquals("medic: 1 check(s) failed: notify webhook\n", m.err());
            assertEquals(1, telegram.requests.size());
            assertEquals("/bot" + TOKEN + "/sendMessage", telegram.requests.get(0).path());
            assertTrue(telegram.requests.get(0).body().contains("this is a test message from medic"), telegram.requests.get(0).body());
            assertEquals(2, hook.requests.size(), "a 500 is retried once");
            assertFalse(m.out().contains(TOKEN) || quiet.out().contains(TOKEN) || m.err().contains(TOKEN), "the token is in no output");
        }
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        InProcess size = InProcess.run("doctor", "--min-free-space", "lots");
        assertEquals(ExitCodes.BAD_INPUT, size.exitCode());
        assertEquals("medic: --min-free-space: 'lots' is not a size (use e.g. 512m, 4g)\n", size.err());
        InProcess backend = InProcess.run("doctor", "--backend", "local,kubernetes");
        assertEquals(ExitCodes.BAD_INPUT, backend.exitCode());
        assertEquals("medic: --backend must be local, docker or slurm, not 'kubernetes'\n", backend.err());
    }

    @Test
    void aRunningDockerEngineAndItsImagesAreChecked() throws Exception {
        String image = DockerTestSupport.requireEngine();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "doctor", "--run-dir", "runs", "--backend", "docker", "--image", image);
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.out() + m.err());
        List<String> lines = m.out().lines().toList();
        assertTrue(lines.get(6).matches("ok    docker: engine \\S+ at \\S+ \\((from DOCKER_HOST|DOCKER_HOST is not set)\\), image "
                + java.util.regex.Pattern.quote(image) + " present"), lines.get(6));
        MedicProcess missing = MedicProcess.start(tmp, Map.of(), "doctor", "--run-dir", "runs", "--backend", "docker",
                "--image", "medic-no-such-image:0");
        assertEquals(ExitCodes.CHECK_FAILED, missing.waitFor(), missing.err());
        assertEquals("FAIL  docker: image 'medic-no-such-image:0' is not on this Docker engine (medic does not pull: docker pull"
                + " or docker load it first)", missing.out().lines().toList().get(6));
    }

    @Test
    void aRunningSlurmClusterAndItsPartitionsAreChecked() throws Exception {
        SlurmTestSupport.requireCluster();
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "doctor", "--run-dir", "runs", "--backend", "slurm");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.out() + m.err());
        List<String> lines = m.out().lines().toList();
        assertTrue(lines.get(7).matches("ok    slurm: sinfo lists \\S+ .*"), lines.get(7));
        assertEquals("skip  gpus: Slurm jobs get GPUs on their nodes (--gres), not from this machine", lines.get(8));
        MedicProcess wrong = MedicProcess.start(tmp, Map.of(), "doctor", "--run-dir", "runs", "--backend", "slurm",
                "--partition", "no-such-partition");
        assertEquals(ExitCodes.CHECK_FAILED, wrong.waitFor(), wrong.err());
        assertTrue(wrong.out().lines().toList().get(7).matches("FAIL  slurm: partition 'no-such-partition' is not one sinfo lists \\(.+\\)"),
                wrong.out());
    }
}
