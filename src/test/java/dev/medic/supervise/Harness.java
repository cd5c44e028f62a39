package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.Fixtures;
import dev.medic.backend.local.LocalBackend;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.Event;
import dev.medic.journal.JournalLines;
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
public final class Harness {
    public final Path dir;
    public dev.medic.backend.RunBackend backend = new LocalBackend();
    public Path rules = Fixtures.rulesDir();
    public Path catalog = Fixtures.catalogDir();
    public int maxAttempts = 5;
    public Duration attemptTimeout = Duration.ZERO;
    public Duration totalTimeout = Duration.ZERO;
    public Duration stallTimeout = Duration.ofMinutes(30);
    public Duration startupGrace = Duration.ofMinutes(10);
    public Duration backoff = Duration.ZERO;
    public Duration killGrace = Duration.ofSeconds(1);
    public boolean dryRun;
    public List<String> checkpointDirs = List.of();
    public Map<String, String> env = new HashMap<>(System.getenv());
    public final List<Event> records = new CopyOnWriteArrayList<>();
    public final List<Escalation> escalations = new CopyOnWriteArrayList<>();
    public Supervisor supervisor;
    private java.util.function.UnaryOperator<RunOptions> optionsHook = o -> o;

    /** Adjusts the run options (e.g. settings a CLI flag would give a fix). */
    public void options(java.util.function.UnaryOperator<RunOptions> hook) {
        this.optionsHook = hook;
    }

    public Harness(Path dir) {
        this.dir = dir;
    }

    public Path script(String name, String python) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, python);
        return p;
    }

    public RunResult run(String... argv) throws Exception {
        return run(List.of(argv));
    }

    public RunResult run(List<String> argv) throws Exception {
        RunOptions options = new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace,
                backoff, killGrace, dir.resolve("runs"), dryRun, 64 * 1024);
        if (!checkpointDirs.isEmpty()) {
            options = options.withFixSettings("resume_from_checkpoint", Map.of("dirs", checkpointDirs));
        }
        options = optionsHook.apply(options);
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
            supervisor = new Supervisor(backend, knowledge, FixRegistry.standard(), List.of(capture), options);
            supervisor.addListener(records::add);
            return supervisor.run(new RunSpec(argv, env, dir));
        }
    }

    public static List<JsonNode> journal(RunResult r) throws IOException {
        return JournalLines.read(r.runDir().resolve("journal.jsonl"));
    }

    public static List<JsonNode> events(RunResult r, String event) throws IOException {
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
