package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.backend.local.LocalBackend;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
import dev.medic.util.SourceLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs a real supervisor over real child processes in a temporary folder. */
final class Harness {
    final Path dir;
    Path rules = Fixtures.rulesDir();
    Path catalog = Fixtures.catalogDir();
    int maxAttempts = 5;
    Duration attemptTimeout = Duration.ZERO;
    Duration totalTimeout = Duration.ZERO;
    Duration stallTimeout = Duration.ofMinutes(30);
    Duration startupGrace = Duration.ofMinutes(10);
    Duration backoff = Duration.ZERO;
    Duration killGrace = Duration.ofSeconds(1);
    boolean dryRun;
    List<String> checkpointDirs = List.of();
    Map<String, String> env = new HashMap<>(System.getenv());
    final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();
    final List<Escalation> escalations = new CopyOnWriteArrayList<>();
    Supervisor supervisor;

    Harness(Path dir) {
        this.dir = dir;
    }

    Path script(String name, String python) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, python);
        return p;
    }

    RunResult run(String... argv) throws Exception {
        return run(List.of(argv));
    }

    RunResult run(List<String> argv) throws Exception {
        RunOptions options = new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace,
                backoff, killGrace, dir.resolve("runs"), dryRun, 64 * 1024);
        if (!checkpointDirs.isEmpty()) {
            options = options.withFixSettings("resume_from_checkpoint", Map.of("dirs", checkpointDirs));
        }
        Knowledge knowledge = new Knowledge(SourceLocation.find("catalog", ".yaml", catalog, Map.of(), null),
                SourceLocation.find("rules", ".drl", rules, Map.of(), null));
        try (knowledge) {
            Notifier capture = new Notifier() {
                @Override
                public String name() {
                    return "test";
                }

                @Override
                public String send(Escalation e) {
                    escalations.add(e);
                    return "captured";
                }
            };
            supervisor = new Supervisor(new LocalBackend(), knowledge, FixRegistry.standard(), List.of(capture), options);
            supervisor.addListener(records::add);
            return supervisor.run(new RunSpec(argv, env, dir));
        }
    }

    static List<JsonNode> journal(RunResult r) throws IOException {
        return JournalReader.read(r.runDir().resolve("journal.jsonl"));
    }

    static List<JsonNode> events(RunResult r, String event) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : journal(r)) {
            if (event.equals(n.path("event").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    static String python() {
        return "python3";
    }
}
