package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.logs.Redactor;
import dev.medic.triage.Group;
import dev.medic.triage.Occurrence;
import dev.medic.triage.RunScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "triage", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description =
        "Groups the failures the catalog has no name for (unknown, killed, code_bug) in the runs that ended failed or escalated, "
                + "by their last error line with numbers, paths, hex values, ids and quoted values masked, and drafts a catalog "
                + "entry for each group. Most frequent first.")
final class TriageCommand implements Callable<Integer> {
    /** Run ids listed per group in the text output; the rest are counted. */
    private static final int RUNS_SHOWN = 5;

    @Option(names = "--json", description = "Print one JSON object with a 'groups' array.")
    boolean json;

    @Option(names = "--catalog", paramLabel = "DIR", description = "The catalog whose ids the drafts avoid (else MEDIC_CATALOG, catalog/ beside bin/medic, the bundled one).")
    Path catalog;

    @Mixin
    RunDirs dirs;

    @Override
    public Integer call() throws IOException {
        RunScan.Result scan = RunScan.scan(dirs.runDir, dirs.sweepDir, Redactor.fromEnvironments(System.getenv()),
                w -> System.err.println("medic: warning: " + w));
        List<Group> groups = Group.of(scan.occurrences(), DraftIds.inUse(catalog));
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(toJson(scan, groups)));
        } else if (scan.runs() == 0) {
            System.out.println("no runs under " + dirs.runDir + " or " + dirs.sweepDir);
        } else if (groups.isEmpty()) {
            System.out.println("nothing to triage: no unknown, killed or code_bug failure in the runs that ended failed or escalated ("
                    + scan.runs() + " runs read)");
        } else {
            printText(scan, groups);
        }
        return 0;
    }

    private void printText(RunScan.Result scan, List<Group> groups) {
        long runs = scan.occurrences().stream().map(Occurrence::run).distinct().count();
        System.out.println(groups.size() + " group(s) from " + scan.occurrences().size() + " failed attempt(s) in " + runs
                + " run(s) (" + scan.runs() + " runs read under " + dirs.runDir + " and " + dirs.sweepDir + ")");
        int n = 0;
        for (Group g : groups) {
            System.out.println();
            System.out.println(++n + ". " + g.count() + " attempt(s) in " + g.runs().size() + " run(s), " + String.join(", ", g.failures())
                    + "; first seen " + shown(g.firstSeen()) + ", last seen " + shown(g.lastSeen()));
            System.out.println("   runs: " + shortList(g.runs()));
            System.out.println("   example (" + g.example().line().kind().label() + ", " + g.example().run() + " attempt "
                    + g.example().attempt() + "): " + g.example().line().text());
            System.out.println("   signature: " + g.signature());
            if (g.draft() == null) {
                System.out.println("   no draft: the attempts printed nothing and their exit status is not known");
                continue;
            }
            if (g.problem() != null) {
                System.out.println("   the draft failed medic's own check: " + g.problem());
            }
            System.out.println("   draft (save as catalog/" + g.draft().id() + ".yaml, or paste its entry into catalog/failures.yaml):");
            g.draft().yaml().lines().forEach(l -> System.out.println("     " + l));
        }
    }

    private static String shown(Instant t) {
        return t == null ? "at an unknown time" : time(t);
    }

    private static String shortList(List<String> runs) {
        if (runs.size() <= RUNS_SHOWN) {
            return String.join(", ", runs);
        }
        return String.join(", ", runs.subList(0, RUNS_SHOWN)) + " and " + (runs.size() - RUNS_SHOWN) + " more";
    }

    private Map<String, Object> toJson(RunScan.Result scan, List<Group> groups) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_dir", dirs.runDir.toString());
        m.put("sweep_dir", dirs.sweepDir.toString());
        m.put("runs_read", scan.runs());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Group g : groups) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("signature", g.signature());
            j.put("count", g.count());
            j.put("failures", g.failures());
            j.put("runs", g.runs());
            j.put("first_seen", time(g.firstSeen()));
            j.put("last_seen", time(g.lastSeen()));
            j.put("example", occurrence(g.example()));
            j.put("occurrences", g.occurrences().stream().map(TriageCommand::occurrence).toList());
            if (g.draft() == null) {
                j.put("draft", null);
            } else {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("id", g.draft().id());
                d.put("pattern", g.draft().pattern());
                d.put("yaml", g.draft().yaml());
                d.put("problem", g.problem());
                j.put("draft", d);
            }
            out.add(j);
        }
        m.put("groups", out);
        return m;
    }

    private static Map<String, Object> occurrence(Occurrence o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", o.run());
        m.put("attempt", o.attempt());
        m.put("failure", o.failure());
        m.put("seen", time(o.seen()));
        m.put("line", o.line().text());
        m.put("found_as", o.line().kind().label());
        return m;
    }

    /** A UTC timestamp to the second ({@code 2026-12-04T21:08:19Z}); null when the journal had none. */
    private static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
