package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.journal.JournalLines;
import dev.medic.memory.LimitedCgroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `medic run` over a child that the kernel really OOM-kills: the child moves itself into a memory
 * cgroup of 64 MiB (no swap) and allocates until the kernel kills it. The journal must name
 * host_oom with the system's record as evidence: the kernel's "Killed process" line (the child is
 * killed within a fraction of a second, before the watch's first sample can see it, so only its
 * pid from the launcher ties the record to the run) and, for a child that lives long enough to be
 * sampled in the cgroup, the cgroup's oom_kill counter.
 */
class OomKillTest {
    private static final long LIMIT = 64L << 20;
    private static final String ALLOCATE = "x = []\nwhile True:\n    x.append(bytearray(1 << 20))\n";

    @TempDir
    Path tmp;

    /** Runs medic over a shell that moves itself into the cgroup and execs Python running {@code program}. */
    private List<JsonNode> run(LimitedCgroup cg, String program) throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "-q", "--max-attempts", "1", "--run-dir", "runs", "--",
                "sh", "-c", "echo $$ > \"$1\"; shift; exec \"$@\"", "sh", cg.procs().toString(), "python3", "-c", program);
        assertEquals(1, m.waitFor(), m.err());
        Path runDir;
        try (var l = Files.list(tmp.resolve("runs"))) {
            runDir = l.findFirst().orElseThrow();
        }
        return JournalLines.read(runDir.resolve("journal.jsonl"));
    }

    private static JsonNode event(List<JsonNode> journal, String name) {
        return journal.stream().filter(r -> r.path("event").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + journal));
    }

    private static List<String> systemEvidence(JsonNode failure) {
        List<String> out = new ArrayList<>();
        failure.path("evidence").forEach(e -> {
            if (e.path("stream").asText().equals("system")) {
                out.add(e.path("text").asText());
            }
        });
        return out;
    }

    @Test
    void aChildTheKernelOomKillsAtOnceIsHostOomWithTheKernelsRecord() throws Exception {
        try (LimitedCgroup cg = LimitedCgroup.create(LIMIT)) {
            List<JsonNode> journal = run(cg, ALLOCATE);
            JsonNode finished = event(journal, "attempt_finished");
            assertEquals(137, finished.path("exit_code").asInt(), journal.toString());
            JsonNode failure = event(journal, "failure");
            assertEquals("host_oom", failure.path("failure").asText(), journal.toString());
            assertTrue(failure.path("root").asBoolean());
            List<String> records = systemEvidence(failure);
            assertTrue(records.stream().anyMatch(t -> t.matches("kernel: .*Killed process \\d+ \\(python3\\).*")),
                    "the kernel's record is the evidence: " + records);
            assertTrue(finished.path("oom_evidence").asText().contains("Killed process"), finished.toString());
        }
    }

    @Test
    void aChildSampledInItsCgroupHasTheCgroupsCounterAsEvidenceToo() throws Exception {
        try (LimitedCgroup cg = LimitedCgroup.create(LIMIT)) {
            // 2.5 s in the cgroup before allocating (a trainer loading its model): the watch samples it there
            List<JsonNode> journal = run(cg, "import time\ntime.sleep(2.5)\n" + ALLOCATE);
            JsonNode failure = event(journal, "failure");
            assertEquals("host_oom", failure.path("failure").asText(), journal.toString());
            List<String> records = systemEvidence(failure);
            assertTrue(records.contains("memory cgroup /" + cg.name() + ": oom_kill 0 -> 1 (" + cg.counterFile() + ")"),
                    records.toString());
            assertTrue(records.stream().anyMatch(t -> t.startsWith("kernel: ") && t.contains("(python3)")), records.toString());
        }
    }
}
