package dev.medic.discover;

import dev.medic.facts.RunSpec;
import dev.medic.journal.Event;
import dev.medic.util.PrivateFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery over real scripts and real --help processes. */
class FlagDiscoveryTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);

    @TempDir
    Path tmp;
    final List<Event.FlagsDiscovered> events = new ArrayList<>();

    private FlagDiscovery discovery(Path runDir) throws Exception {
        Files.createDirectories(runDir);
        return new FlagDiscovery(new DiscoveryCache(PrivateFolder.open(runDir, PrivateFolder.RUN_FOLDER), runDir),
                new HelpProbe(LIMIT), events::add);
    }

    private RunSpec spec(String... argv) {
        return new RunSpec(List.of(argv), new HashMap<>(System.getenv()), tmp);
    }

    /** Flags made in a loop: the source cannot name them, so --help is asked. */
    private static final String DYNAMIC = """
            import argparse, sys, time
            p = argparse.ArgumentParser(formatter_class=argparse.ArgumentDefaultsHelpFormatter)
            for name in ['batch-size', 'lr']:
                p.add_argument('--' + name, type=int, default=64, help=name)
            """;

    @Test
    void inconclusiveSourceFallsBackToHelpOnceAndTheCacheKeepsIt() throws Exception {
        Path count = tmp.resolve("probes");
        Files.writeString(tmp.resolve("train.py"), DYNAMIC + """
                if '--help' in sys.argv:
                    open(%s, 'a').write('x')
                a = p.parse_args()
                """.formatted("'" + count + "'"));
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertEquals("help", f.method());
        assertEquals("64", f.flag("--batch-size").defaultValue());
        assertEquals(List.of("help"), events.stream().map(Event.FlagsDiscovered::method).toList());
        assertTrue(events.get(0).script().endsWith("train.py"));
        // the same run folder again (a resumed run): read back, not probed
        ProgramFlags again = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertEquals(f, again);
        assertEquals("x", Files.readString(count), "--help ran once");
        Path cached;
        try (var l = Files.list(tmp.resolve("run/discovered"))) {
            cached = l.findFirst().orElseThrow();
        }
        assertEquals(FlagDiscovery.sha256(Files.readAllBytes(tmp.resolve("train.py"))) + ".json", cached.getFileName().toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cached)));
    }

    @Test
    void aConclusiveSourceIsNotProbed() throws Exception {
        Path marker = tmp.resolve("ran");
        Files.writeString(tmp.resolve("train.py"), """
                import argparse
                open(%s, 'w').write('ran')
                p = argparse.ArgumentParser()
                p.add_argument('--batch-size', type=int, default=64)
                p.parse_args()
                """.formatted("'" + marker + "'"));
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertEquals("source", f.method());
        assertEquals(1, events.get(0).flags());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aHelpThatHangsIsStoppedWithinTheLimitAndNothingIsLearnt() throws Exception {
        Path pid = tmp.resolve("pid");
        Files.writeString(tmp.resolve("train.py"), DYNAMIC + """
                import os, subprocess
                open(%s, 'w').write(str(subprocess.Popen(['sleep', '300']).pid))
                time.sleep(300)
                """.formatted("'" + pid + "'"));
        long start = System.nanoTime();
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < LIMIT.toMillis() + 2000, "stopped within the limit: " + ms + " ms");
        assertFalse(f.discovered());
        assertTrue(f.why().contains("did not finish within 3.0 s"), f.why());
        assertTrue(events.get(0).whyNot().contains("did not finish"), events.toString());
        // its child in the same process group was stopped too
        long child = Long.parseLong(Files.readString(pid).strip());
        Thread.sleep(200);
        assertFalse(running(child), "the probe's group is gone");
        // a resumed run reads what was (not) learnt back instead of waiting for the same hang again
        long again = System.nanoTime();
        ProgramFlags cached = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again) < 1000);
        assertEquals(f.why(), cached.why());
    }

    /** A zombie waiting for its reaper runs no more. */
    private static boolean running(long pid) {
        try {
            String st = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return st.charAt(st.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    @Test
    void aProgramThatIgnoresHelpAndStartsTrainingIsStopped() throws Exception {
        Files.writeString(tmp.resolve("train.py"), DYNAMIC + """
                step = 0
                while True:
                    step += 1
                    print(f'step {step} loss 0.5', flush=True)
                    time.sleep(0.001)
                """);
        long start = System.nanoTime();
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < LIMIT.toMillis() + 2000);
        assertFalse(f.discovered());
        assertTrue(f.why().contains("no usage text"), f.why());
    }

    @Test
    void theProbeSeesNoGpusAndNoInput() throws Exception {
        Path seen = tmp.resolve("seen");
        Files.writeString(tmp.resolve("train.py"), DYNAMIC + """
                import os
                open(%s, 'w').write(repr(os.environ.get('CUDA_VISIBLE_DEVICES')) + ' ' + repr(sys.stdin.read()))
                p.parse_args()
                """.formatted("'" + seen + "'"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CUDA_VISIBLE_DEVICES", "0,1");
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(new RunSpec(List.of("python3", "train.py"), env, tmp));
        assertEquals("help", f.method());
        assertEquals("'' ''", Files.readString(seen));
    }

    @Test
    void aScriptWithNoArgumentParserIsNotRunForHelp() throws Exception {
        Path marker = tmp.resolve("ran");
        Files.writeString(tmp.resolve("train.py"), "open(%s, 'w').write('ran')\nprint('step 1 loss 0.5')\n".formatted("'" + marker + "'"));
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertFalse(f.discovered());
        assertTrue(f.why().contains("no sign of an argument parser"), f.why());
        assertFalse(Files.exists(marker));
    }

    @Test
    void flagsFromAModuleBesideTheScriptAreLearntFromHelp() throws Exception {
        Files.writeString(tmp.resolve("options.py"), """
                import argparse
                def parser():
                    p = argparse.ArgumentParser(formatter_class=argparse.ArgumentDefaultsHelpFormatter)
                    p.add_argument('--batch-size', type=int, default=64, help='batch')
                    return p
                """);
        Files.writeString(tmp.resolve("train.py"), "from options import parser\na = parser().parse_known_args()\n");
        ProgramFlags f = discovery(tmp.resolve("run")).flagsFor(spec("python3", "train.py"));
        assertEquals("help", f.method());
        assertEquals("64", f.flag("--batch-size").defaultValue());
    }

    @Test
    void aProgramThatIsNotPythonIsNeverProbed() throws Exception {
        Path marker = tmp.resolve("ran");
        Path binary = tmp.resolve("train");
        Files.writeString(binary, "#!/bin/sh\ntouch " + marker + "\necho 'usage: train [--batch-size N]'\n");
        binary.toFile().setExecutable(true);
        Files.writeString(tmp.resolve("train.py"), DYNAMIC);
        FlagDiscovery d = discovery(tmp.resolve("run"));
        for (RunSpec s : List.of(spec("sh", "-c", "touch " + marker + "; python3 train.py"), spec(binary.toString()),
                spec("bash", "train.py"), spec("python3", "-c", "import train"))) {
            ProgramFlags f = d.flagsFor(s);
            assertFalse(f.discovered());
            assertNull(f.method());
            assertTrue(f.why().contains("not probed"), f.why());
        }
        assertFalse(Files.exists(marker), "nothing ran");
        assertEquals(4, events.size());
    }
}
