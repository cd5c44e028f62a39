package dev.medic.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watch over real processes. The cgroup files are a copy in a temporary folder standing in
 * for the mount point (the processes' real cgroup paths lead into it), so a counter can rise and
 * a limit be tiny without an OOM; the kernel log is a list of records. The real kernel and a
 * real memory cgroup are in dev.medic.cli.OomKillTest.
 */
class OomWatchTest {
    @TempDir
    Path tmp;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process start(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /**
     * A shell that has printed a line and waits on its input: its resident memory is its own by
     * then. Right after exec a program has faulted in only a few pages, so a sample taken at that
     * moment may see less than the test's 64 KiB limit.
     */
    private Process startedAndSettled() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo ready; read x").redirectErrorStream(true).start();
        started.add(p);
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            assertEquals("ready", out.readLine());
        }
        return p;
    }

    /** A fake hierarchy at tmp holding the test's own memory cgroup, with this counter and limit. */
    private MemoryCgroup fakeCgroup(CgroupMounts mounts, long oomKills, long limit) throws Exception {
        MemoryCgroup cg = MemoryCgroup.of(Files.readString(Path.of("/proc/self/cgroup")), mounts);
        Files.createDirectories(cg.dir());
        setCounter(cg, oomKills);
        Files.writeString(cg.dir().resolve(cg.version() == 1 ? "memory.limit_in_bytes" : "memory.max"), limit + "\n");
        return cg;
    }

    private static void setCounter(MemoryCgroup cg, long n) throws Exception {
        Files.writeString(cg.dir().resolve(cg.counterFile()), cg.version() == 1
                ? "oom_kill_disable 0\nunder_oom 0\noom_kill " + n + "\n"
                : "low 0\nhigh 0\nmax 0\noom 0\noom_kill " + n + "\n");
    }

    private static void awaitSamples(OomWatch w, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (w.samples() < n) {
            assertTrue(System.nanoTime() < deadline, "the watch took " + w.samples() + " samples");
            Thread.sleep(20);
        }
    }

    @Test
    void aCounterThatRoseAndResidentMemoryAtTheLimitAreRecords() throws Exception {
        CgroupMounts mounts = new CgroupMounts(new CgroupMounts.Mount(tmp, "/"), new CgroupMounts.Mount(tmp, "/"));
        // 64 KiB: any shell's resident memory is far above it
        MemoryCgroup cg = fakeCgroup(mounts, 4, 64 * 1024);
        OomWatch w = new OomWatch(null, mounts, List::of, 0);
        Process p = startedAndSettled();
        w.start(p.pid());
        awaitSamples(w, 1);
        setCounter(cg, 5);
        p.destroyForcibly().waitFor();
        List<String> records = w.finish(true);
        assertEquals("memory cgroup " + cg.path() + ": oom_kill 4 -> 5 (" + cg.counterFile() + ")", records.get(0), records.toString());
        assertTrue(records.get(1).startsWith("the process tree's resident memory reached "), records.toString());
        assertTrue(records.get(1).contains("of the limit of memory cgroup " + cg.path() + " (0.1 MiB)"), records.toString());
        assertEquals(2, records.size(), records.toString());
    }

    @Test
    void aCounterThatStayedAndAHostFarFromFullAreNoRecord() throws Exception {
        CgroupMounts mounts = new CgroupMounts(new CgroupMounts.Mount(tmp, "/"), new CgroupMounts.Mount(tmp, "/"));
        fakeCgroup(mounts, 2, 1L << 40);
        OomWatch w = new OomWatch(null, mounts, List::of, 1L << 40);
        Process p = start("sh", "-c", "sleep 30");
        w.start(p.pid());
        awaitSamples(w, 1);
        p.destroyForcibly().waitFor();
        assertEquals(List.of(), w.finish(true));
    }

    @Test
    void aSucceededAttemptNeedsNoRecord() throws Exception {
        CgroupMounts mounts = new CgroupMounts(new CgroupMounts.Mount(tmp, "/"), null);
        OomWatch w = new OomWatch(null, mounts, List::of, 1);
        Process p = start("true");
        w.start(p.pid());
        p.waitFor();
        assertEquals(List.of(), w.finish(false), "no record is read for an attempt that did not fail");
    }

    @Test
    void aKernelRecordNamingTheLaunchersChildCountsEvenIfNoSampleSawIt() throws Exception {
        Path childFile = tmp.resolve("child");
        List<List<KernelLog.Record>> reads = new ArrayList<>();
        reads.add(List.of(new KernelLog.Record(10, "Memory cgroup out of memory: Killed process 7 (python3) total-vm:1kB")));
        OomWatch w = new OomWatch(childFile, CgroupMounts.NONE, () -> reads.get(reads.size() - 1), 0);
        Process p = start("true");
        w.start(p.pid());
        p.waitFor();
        Files.writeString(childFile, "31999\n");
        reads.add(List.of(
                new KernelLog.Record(10, "Memory cgroup out of memory: Killed process 7 (python3) total-vm:1kB"),
                new KernelLog.Record(11, "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/x,task=python3,pid=31999,uid=0"),
                new KernelLog.Record(12, "Memory cgroup out of memory: Killed process 31999 (python3) total-vm:75160kB"),
                new KernelLog.Record(13, "Memory cgroup out of memory: Killed process 31998 (python3) total-vm:75160kB")));
        assertEquals(List.of("kernel: Memory cgroup out of memory: Killed process 31999 (python3) total-vm:75160kB"), w.finish(true));
    }

    @Test
    void kernelRecordsCountAfterTheStartAndForTheTreeOnly() {
        List<KernelLog.Record> log = List.of(
                new KernelLog.Record(5, "Out of memory: Killed process 100 (python3) total-vm:1kB"),
                new KernelLog.Record(6, "oom-kill:constraint=CONSTRAINT_NONE,task=python3,pid=101,uid=0"),
                new KernelLog.Record(7, "Out of memory: Killed process 102 (java) total-vm:1kB"),
                new KernelLog.Record(8, "usb 1-1: new high-speed USB device number 2"));
        assertEquals(List.of("kernel: oom-kill:constraint=CONSTRAINT_NONE,task=python3,pid=101,uid=0"),
                OomWatch.kernelRecords(log, 5, Set.of(100L, 101L)), "pid 100's record is older than the attempt; 102 is not ours");
    }

    @Test
    void samplingATreeCostsLittle() throws Exception {
        // a launcher with ten children, as a trainer with its data-loader workers
        Process p = start("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; wait");
        OomWatch w = new OomWatch(null, CgroupMounts.read(), List::of, 1);
        w.start(p.pid());
        awaitSamples(w, 4);
        w.finish(false);
        double msPerSample = w.cpuNanos() / 1e6 / w.samples();
        // a sample a second: 10 ms would be 1% of a core; it is a fraction of a millisecond once warm
        assertTrue(msPerSample < 10, "sampling cost " + msPerSample + " ms of CPU per sample");
    }
}
