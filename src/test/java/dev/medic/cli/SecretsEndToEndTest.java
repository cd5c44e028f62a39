package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.notify.FakeServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real `medic run` and `medic sweep` with secrets in the command line, the environment, URLs, grid
 * values and across the 64 KiB line cut: no secret reaches the journal, the console, `history`,
 * `ps`, the sweep files or the webhook; the attempt logs stay verbatim.
 */
class SecretsEndToEndTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> ENV = Map.of(
            "DB_PASS", "dbpass-0001",
            "MYSQL_PWD", "mysqlpwd-0002",
            "DATABASE_URL", "postgres://app:urlpass-0003@db.internal:5432/prod");

    @Test
    void flagsEnvironmentAndUrlsAreMaskedInJournalConsoleHistoryPsAndWebhook() throws Exception {
        Path script = Files.writeString(tmp.resolve("leaky.py"), """
                import os, sys
                print('connecting to', os.environ['DATABASE_URL'], 'as', os.environ['DB_PASS'], os.environ['MYSQL_PWD'], flush=True)
                # the values also without their flags, as a program that logs its settings prints them
                sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory; db %s pw %s %s args %s bare %s\\n'
                                 % (os.environ['DATABASE_URL'], os.environ['DB_PASS'], os.environ['MYSQL_PWD'], ' '.join(sys.argv[1:]),
                                    ' '.join(a.split('=', 1)[-1] for a in sys.argv[1:])))
                sys.exit(1)
                """);
        List<String> secrets = new ArrayList<>(List.of("dbpass-0001", "mysqlpwd-0002", "urlpass-0003", "hunter2-0004",
                "apikey-0005", "tok-0006", "inargv-0007"));
        try (FakeServer hook = new FakeServer()) {
            MedicProcess m = MedicProcess.start(tmp, ENV, "run", "--notify", "webhook,console", "--webhook-url", hook.base() + "/hook",
                    "--max-attempts", "1", "--backoff", "0s", "--run-dir", "runs", "--", "python3", script.toString(),
                    "--password", "hunter2-0004", "--api-key", "apikey-0005", "--token=tok-0006", "--batch-size", "8",
                    "--db", "postgres://u:inargv-0007@h/db", "--max-tokens", "512");
            assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
            Path run = onlyChild(tmp.resolve("runs"));
            String journal = Files.readString(run.resolve("journal.jsonl"));
            InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
            InProcess list = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString());
            InProcess ps = InProcess.run("ps", "--all", "--json", "--run-dir", tmp.resolve("runs").toString(),
                    "--sweep-dir", tmp.resolve("sweeps").toString());
            assertEquals(1, hook.requests.size(), "one escalation");
            String webhook = hook.requests.get(0).body();
            // the run's own output, echoed as it would have printed it, is not medic's to change; medic's lines are
            String medicLines = String.join("\n", (m.err() + m.out()).lines().filter(l -> l.startsWith("medic:")).toList());
            assertTrue(m.err().contains("pw dbpass-0001"), "the echo is the run's own output");
            Map<String, String> shown = Map.of("journal", journal, "console", medicLines, "history", history.out() + list.out(),
                    "ps", ps.out(), "webhook", webhook);
            for (Map.Entry<String, String> e : shown.entrySet()) {
                for (String secret : secrets) {
                    assertFalse(e.getValue().contains(secret), secret + " in the " + e.getKey() + ":\n" + e.getValue());
                }
            }
            assertTrue(journal.contains("\"--password\",\"***\",\"--api-key\",\"***\",\"--token=***\""), journal);
            assertTrue(journal.contains("postgres://u:***@h/db"), "the URL stays readable, less its password: " + journal);
            assertTrue(journal.contains("\"--max-tokens\",\"512\""), "a flag that only mentions tokens keeps its value: " + journal);
            assertTrue(webhook.contains("--password *** --api-key ***"), webhook);
            InProcess resume = InProcess.run("run", "--run-dir", tmp.resolve("runs").toString(), "--resume", run.getFileName().toString());
            assertEquals(ExitCodes.BAD_INPUT, resume.exitCode(), "a command kept masked cannot be rebuilt: " + resume.err());
            assertTrue(resume.err().contains("pass secrets through the environment, not the command line"), resume.err());
            String log = Files.readString(run.resolve("attempt-1.log"));
            assertTrue(log.contains("hunter2-0004") && log.contains("dbpass-0001"), "the attempt log is the run's output, verbatim");
        }
    }

    @Test
    @Tag("fault")
    void aSecretAcrossThe64KiBCutLeaksNeitherPart() throws Exception {
        // a line with a signature, filler up to 10 bytes before the cut and the secret across it; then a
        // line whose 'password=' ends the first piece and whose value and another failure open the second
        Path script = Files.writeString(tmp.resolve("long.py"), """
                import os, sys
                head = 'torch.OutOfMemoryError: CUDA out of memory '
                secret = os.environ['DB_PASSWORD']
                sys.stderr.write(head + 'x' * (65536 - len(head) - 10) + secret + ' tail\\n')
                key = 'password='
                sys.stderr.write('y' * (65536 - len(key)) + key + 'valuepart-0009 OSError: [Errno 28] No space left on device\\n')
                sys.exit(1)
                """);
        String secret = "straddlingsecret-0008";
        try (FakeServer hook = new FakeServer()) {
            MedicProcess m = MedicProcess.start(tmp, Map.of("DB_PASSWORD", secret), "run", "-q", "--notify", "webhook,console",
                    "--webhook-url", hook.base() + "/hook", "--max-attempts", "1", "--run-dir", "runs", "--", "python3", script.toString());
            assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
            Path run = onlyChild(tmp.resolve("runs"));
            String journal = Files.readString(run.resolve("journal.jsonl"));
            List<String> failures = records(run).stream().filter(r -> r.path("event").asText().equals("failure"))
                    .map(r -> r.path("failure").asText() + " line " + r.path("evidence").get(0).path("line").asLong()).toList();
            assertEquals(List.of("cuda_oom line 1", "disk_full line 2"), failures, "the first piece of one line, the second of the other");
            InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
            String webhook = hook.requests.get(0).body();
            Map<String, String> shown = Map.of("journal", journal, "console", m.err(), "history", history.out(), "webhook", webhook);
            for (Map.Entry<String, String> e : shown.entrySet()) {
                for (String part : List.of("straddl", "ecret-0008", "valuepart")) {
                    assertFalse(e.getValue().contains(part), part + " in the " + e.getKey());
                }
            }
            assertTrue(Files.readString(run.resolve("attempt-1.log")).contains(secret), "the attempt log stays verbatim");
        }
    }

    @Test
    @Tag("fault")
    void c1ControlsBelAndDelFromTheLogReachNeitherMedicLinesNorHistory() throws Exception {
        Path script = Files.writeString(tmp.resolve("controls.py"), """
                import sys
                sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory \\u009b31mred\\u009b0m bell\\u0007 del\\u007f'
                                 ' \\u009d0;evil title\\u009c \\u0090dcs\\u009c end\\n')
                sys.exit(1)
                """);
        MedicProcess m = MedicProcess.start(tmp, Map.of("PYTHONIOENCODING", "utf-8"), "run", "-q", "--max-attempts", "1",
                "--run-dir", "runs", "--", "python3", script.toString());
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        Path run = onlyChild(tmp.resolve("runs"));
        InProcess history = InProcess.run("history", "--run-dir", tmp.resolve("runs").toString(), run.getFileName().toString());
        assertTrue(m.err().contains("CUDA out of memory red bell del  dcs end"), m.err());
        assertTrue(history.out().contains("CUDA out of memory red bell del  dcs end"), history.out());
        for (String out : List.of(m.err(), history.out(), Files.readString(run.resolve("journal.jsonl")))) {
            assertEquals(-1, firstControl(out), () -> "a terminal control at " + firstControl(out) + " in:\n" + out);
        }
    }

    @Test
    void aSweepMasksSecretGridValuesInItsFilesHistoryConsoleAndDigest() throws Exception {
        Path script = Files.writeString(tmp.resolve("train.py"), """
                import sys
                raise KeyError('optimizer ' + ' '.join(sys.argv[1:]))
                """);
        List<String> secrets = List.of("gridpass-0010", "gridpass-0011", "tokval-0012");
        try (FakeServer hook = new FakeServer()) {
            MedicProcess m = MedicProcess.start(tmp, Map.of(), "sweep", "--grid", "db_password=gridpass-0010,gridpass-0011",
                    "--grid", "t=tokval-0012", "--grid", "lr=0.1", "--breaker", "0", "--notify", "webhook", "--webhook-url",
                    hook.base() + "/hook", "--backoff", "0s", "--sweep-dir", "sweeps", "--", "python3", script.toString(),
                    "--db", "{db_password}", "--token", "{t}", "--lr", "{lr}");
            assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
            Path sweep = onlyChild(tmp.resolve("sweeps"));
            InProcess history = InProcess.run("history", "--sweep-dir", tmp.resolve("sweeps").toString(), sweep.getFileName().toString());
            assertEquals(1, hook.requests.size(), "one digest");
            StringBuilder trialJournals = new StringBuilder();
            try (Stream<Path> files = Files.walk(sweep.resolve("trials"))) {
                for (Path j : files.filter(p -> p.getFileName().toString().equals("journal.jsonl")).toList()) {
                    trialJournals.append(Files.readString(j));
                }
            }
            Map<String, String> shown = Map.of("sweep.csv", Files.readString(sweep.resolve("sweep.csv")),
                    "sweep.jsonl", Files.readString(sweep.resolve("sweep.jsonl")), "history", history.out(),
                    "console", m.err() + m.out(), "digest", hook.requests.get(0).body(), "trial journals", trialJournals.toString());
            for (Map.Entry<String, String> e : shown.entrySet()) {
                for (String secret : secrets) {
                    assertFalse(e.getValue().contains(secret), secret + " in the " + e.getKey() + ":\n" + e.getValue());
                }
            }
            assertTrue(shown.get("sweep.csv").contains(",***,***,0.1,"), shown.get("sweep.csv"));
            assertTrue(history.out().contains("db_password=*** t=*** lr=0.1"), history.out());
        }
    }

    private static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x07 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x1b) {
                return i;
            }
        }
        return -1;
    }

    private static List<JsonNode> records(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            out.add(new ObjectMapper().readTree(l));
        }
        return out;
    }

    private static Path onlyChild(Path dir) throws Exception {
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }
}
