package dev.medic.backend.slurm;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --sbatch-arg read the way sbatch reads it: abbreviations, bundles and values. Each case is also
 * put to the installed sbatch (its {@code -v} list of the options it set), so the table cannot drift.
 */
class SbatchArgsTest {
    /** Arguments that reach an option medic sets, and the option sbatch sets from them (null: sbatch calls them ambiguous). */
    private static final List<Object[]> REACHED = List.of(
            new Object[]{List.of("--outp=/tmp/hijack"), "output"},
            new Object[]{List.of("--comm=mine"), "comment"},
            new Object[]{List.of("--job=other"), "job-name"},
            new Object[]{List.of("--jo", "other"), "job-name"},
            new Object[]{List.of("--erro=/tmp/e"), "error"},
            new Object[]{List.of("--ch=/tmp"), "chdir"},
            new Object[]{List.of("-vo/tmp/hijack"), "output"},
            new Object[]{List.of("-OsJ", "other"), "job-name"},
            new Object[]{List.of("--exclusive", "-e/tmp/e"), "error"},
            new Object[]{List.of("--nodes=1", "--te"), "test-only"},
            new Object[]{List.of("--e=/tmp/e"), null},
            new Object[]{List.of("--expo=NONE"), null},
            new Object[]{List.of("--par"), null});

    /** Arguments that reach nothing medic sets. */
    private static final List<List<String>> KEPT = List.of(
            List.of("--exclusive"),
            List.of("--exclus"),
            List.of("--export-file=/dev/null"),
            List.of("--nodelist", "-onode1"),
            List.of("-w", "-ofoo"),
            List.of("-N1", "-c", "1"),
            List.of("--mem", "100M", "--qos=normal"),
            List.of("-Osk"));

    @Test
    void abbreviationsBundlesAndValuesAreReadAsSbatchReadsThem() {
        assertEquals("--outp=/tmp/hijack: sbatch reads --outp as --output, which medic sets itself for every job",
                SbatchArgs.refusal(List.of("--outp=/tmp/hijack")));
        assertEquals("--comm=mine: sbatch reads --comm as --comment, which medic sets itself for every job",
                SbatchArgs.refusal(List.of("--comm=mine")));
        assertEquals("--job=other: sbatch reads --job as --job-name, which medic sets itself for every job",
                SbatchArgs.refusal(List.of("--job=other")));
        assertEquals("-vo/tmp/hijack: sbatch reads -o as --output, which medic sets itself for every job",
                SbatchArgs.refusal(List.of("-vo/tmp/hijack")));
        assertEquals("--e=/tmp/e: sbatch reads --e as any of --error, --exclude, --exclusive, --export, --export-file,"
                        + " --extra-node-info (ambiguous), among them --error, --export, which medic sets itself for every job",
                SbatchArgs.refusal(List.of("--e=/tmp/e")));
        assertEquals("--output=/tmp/x: medic sets --output itself for every job", SbatchArgs.refusal(List.of("--output=/tmp/x")));
        for (Object[] c : REACHED) {
            assertTrue(SbatchArgs.refusal(castList(c[0])) != null, "refused: " + c[0]);
        }
        for (List<String> kept : KEPT) {
            assertNull(SbatchArgs.refusal(kept), "kept: " + kept);
        }
    }

    @Test
    void optionsWithWhichSbatchSubmitsNoJobAreRefused() {
        assertEquals("--help: sbatch prints and submits no job with it", SbatchArgs.refusal(List.of("--help")));
        assertEquals("--vers: sbatch reads --vers as --version, prints and submits no job with it", SbatchArgs.refusal(List.of("--vers")));
        assertEquals("-V: sbatch reads -V as --version, prints and submits no job with it", SbatchArgs.refusal(List.of("-V")));
        assertEquals("--usage: sbatch prints and submits no job with it", SbatchArgs.refusal(List.of("--usage")));
    }

    @Test
    void aWordSbatchWouldTakeForTheScriptIsRefused() {
        assertEquals("train.sh: not an sbatch option; sbatch would stop reading options there and take it as the batch script",
                SbatchArgs.refusal(List.of("--exclusive", "train.sh")));
        assertEquals("--: not an sbatch option; sbatch would stop reading options there and take what follows as the batch script",
                SbatchArgs.refusal(List.of("--")));
        assertEquals("--nodes: needs a value (--nodes=VALUE); sbatch would take the batch script for it",
                SbatchArgs.refusal(List.of("--nodes")));
        assertNull(SbatchArgs.refusal(List.of("--nodes", "1")));
    }

    @Test
    void theSpecRefusesThemInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SlurmSpec(null, null, null, null, null, null, null, List.of("--exclusive", "--comm=x")));
        assertEquals("--sbatch-arg --comm=x: sbatch reads --comm as --comment, which medic sets itself for every job", e.getMessage());
    }

    @Test
    void theTableIsTheInstalledSbatchs() throws Exception {
        SlurmBackendTest.requireCluster();
        Set<String> reported = new TreeSet<>();
        Pattern quoted = Pattern.compile("'--([a-z0-9-]+)'");
        for (char c = 'a'; c <= 'z'; c++) {
            String out = sbatch("--" + c);
            if (out.contains("is ambiguous")) {
                Matcher m = quoted.matcher(out.substring(out.indexOf("possibilities")));
                while (m.find()) {
                    reported.add(m.group(1));
                }
            } else if (!out.contains("unrecognized option")) {
                // a letter only one option starts with: the value it asks for names it
                Matcher m = quoted.matcher(out);
                assertTrue(m.find(), out);
                reported.add(m.group(1));
            }
        }
        assertEquals(reported, new TreeSet<>(SbatchArgs.longNames()));
    }

    @Test
    void theInstalledSbatchSetsWhatTheTableSays() throws Exception {
        SlurmBackendTest.requireCluster();
        Path script = Files.writeString(Files.createTempFile("medic-sbatch", ".sh"), "#!/bin/sh\ntrue\n");
        try {
            for (Object[] c : REACHED) {
                String out = sbatch(with(castList(c[0]), script));
                if (c[1] == null) {
                    assertTrue(out.contains("is ambiguous"), c[0] + ": " + out);
                } else {
                    assertTrue(out.matches("(?s).*sbatch: " + c[1] + " +: .*"), c[0] + " sets " + c[1] + ": " + out);
                }
            }
            for (List<String> kept : KEPT) {
                String out = sbatch(with(kept, script));
                assertTrue(out.contains("defined options"), kept + ": " + out);
                for (String own : SbatchArgs.OWN) {
                    if (!own.equals("test-only")) {
                        assertTrue(!out.matches("(?s).*sbatch: " + own + " +: .*"), kept + " sets " + own + ": " + out);
                    }
                }
            }
        } finally {
            Files.delete(script);
        }
    }

    private static List<String> with(List<String> args, Path script) {
        List<String> all = new ArrayList<>(List.of("--test-only", "-v"));
        all.addAll(args);
        all.add(script.toString());
        return all;
    }

    private static String sbatch(String option) {
        return sbatch(List.of("--test-only", option));
    }

    private static String sbatch(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("sbatch"));
        cmd.addAll(args);
        return Slurm.run(System.getenv(), 30, cmd).out();
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }
}
