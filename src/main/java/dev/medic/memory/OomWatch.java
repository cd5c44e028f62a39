package dev.medic.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Whether the system recorded an out-of-memory kill of a local attempt's processes: a SIGKILL
 * is host memory only with such a record, so medic looks for one rather than guessing from the
 * signal. About once a second it samples the process tree under the attempt's launcher: each
 * process's memory cgroup (its OOM-kill counter taken when the cgroup is first seen, and its
 * limit) and resident memory. At the end it reports what it found: a counter that rose, a kernel
 * log record after the attempt's start naming one of the tree's processes, or resident memory
 * that reached {@value #NEAR_LIMIT_PERCENT}% of a limit. Every source that cannot be read simply
 * gives nothing.
 */
public final class OomWatch {
    static final long EVERY_NANOS = 1_000_000_000L;
    static final int NEAR_LIMIT_PERCENT = 95;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Path childPidFile;
    private final CgroupMounts mounts;
    private final Supplier<List<KernelLog.Record>> kernel;
    /** The kernel log's newest record when the attempt started; null when the log cannot be read. */
    private final Long kernelFrom;
    private final long hostMemory;
    private final Map<Path, Watched> cgroups = new LinkedHashMap<>();
    private final Set<Long> pids = new LinkedHashSet<>();
    private String nearLimit;
    private double peakShare;
    private long root = -1;
    private volatile boolean stopped;
    private Thread thread;
    private long cpuNanos;
    private int samples;

    /** A cgroup seen in the tree: its OOM-kill counter then (null: unreadable) and its limit. */
    private record Watched(MemoryCgroup cgroup, Long oomKillsAtFirstSight, Long limit) {
    }

    /**
     * What a watch compares with: the cgroup mounts, the kernel log's newest record (null: the log
     * cannot be read) and the host's memory (0: unknown). Take it before the child starts, so that
     * every record about the attempt comes after it; it may be taken well before (it reads the
     * kernel log through a process, which need not delay the start).
     */
    public record Baseline(CgroupMounts mounts, Long kernelFrom, long hostMemory) {
        public static Baseline take() {
            return new Baseline(CgroupMounts.read(), newest(KernelLog.read()), OomWatch.hostMemory());
        }
    }

    /** Takes the baseline now: call it before the child starts. */
    public OomWatch(Path childPidFile) {
        this(childPidFile, Baseline.take());
    }

    /**
     * {@code childPidFile} is where the launcher writes the process id of the command it runs
     * (which may die before a sample sees it).
     */
    public OomWatch(Path childPidFile, Baseline baseline) {
        this(childPidFile, baseline.mounts(), KernelLog::read, baseline.kernelFrom(), baseline.hostMemory());
    }

    /** {@code kernel} reads the kernel log's records (empty: unreadable); {@code hostMemory} is 0 when unknown. */
    OomWatch(Path childPidFile, CgroupMounts mounts, Supplier<List<KernelLog.Record>> kernel, long hostMemory) {
        this(childPidFile, mounts, kernel, newest(kernel.get()), hostMemory);
    }

    private OomWatch(Path childPidFile, CgroupMounts mounts, Supplier<List<KernelLog.Record>> kernel, Long kernelFrom,
                     long hostMemory) {
        this.childPidFile = childPidFile;
        this.mounts = mounts;
        this.kernel = kernel;
        this.kernelFrom = kernelFrom;
        this.hostMemory = hostMemory;
    }

    private static Long newest(List<KernelLog.Record> records) {
        return records.isEmpty() ? null : records.get(records.size() - 1).seq();
    }

    /** Starts sampling the tree under {@code rootPid} (the launcher) on a thread of its own. */
    public synchronized void start(long rootPid) {
        this.root = rootPid;
        Thread t = new Thread(this::run, "medic-memory");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        while (!stopped) {
            long before = THREADS.getCurrentThreadCpuTime();
            boolean alive = sample();
            synchronized (this) {
                cpuNanos += THREADS.getCurrentThreadCpuTime() - before;
            }
            if (!alive) {
                return; // the launcher has gone: whatever it left is no longer its tree
            }
            LockSupport.parkNanos(this, EVERY_NANOS);
        }
    }

    /** One look at the tree; false when the launcher is no longer there. */
    synchronized boolean sample() {
        samples++;
        childPid();
        List<Long> tree = ProcessTree.of(root);
        Map<Path, Long> rssByCgroup = new HashMap<>();
        long total = 0;
        for (long pid : tree) {
            pids.add(pid);
            long rss = ProcessTree.rssBytes(pid);
            total += rss;
            String text = ProcessTree.read(pid, "cgroup");
            MemoryCgroup cg = text == null ? null : MemoryCgroup.of(text, mounts);
            if (cg != null) {
                cgroups.computeIfAbsent(cg.dir(), d -> new Watched(cg, cg.oomKills(), cg.limitBytes()));
                rssByCgroup.merge(cg.dir(), rss, Long::sum);
            }
        }
        for (Map.Entry<Path, Long> e : rssByCgroup.entrySet()) {
            Watched w = cgroups.get(e.getKey());
            if (w.limit() != null) {
                near(e.getValue(), w.limit(), "the limit of memory cgroup " + w.cgroup().path());
            }
        }
        if (hostMemory > 0) {
            near(total, hostMemory, "the host's memory");
        }
        return !tree.isEmpty();
    }

    private void near(long rss, long limit, String of) {
        double share = (double) rss / limit;
        if (share * 100 >= NEAR_LIMIT_PERCENT && share > peakShare) {
            peakShare = share;
            nearLimit = nearLimitText(rss, limit, of);
        }
    }

    /** The launcher's child, once it has written its pid: a tree process even if no sample saw it. */
    private void childPid() {
        if (childPidFile == null) {
            return;
        }
        try {
            String s = Files.readString(childPidFile).strip();
            if (!s.isEmpty()) {
                pids.add(Long.parseLong(s));
            }
        } catch (IOException | RuntimeException e) {
            // not written yet, or the launcher could not read its own pid: the samples still see the child
        }
    }

    /**
     * Stops sampling and says what the system recorded: one line per record found, empty when
     * none. An attempt that did not fail needs no record, so nothing is read for it.
     */
    public List<String> finish(boolean failed) {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failed) {
            return List.of();
        }
        synchronized (this) {
            childPid();
            List<String> out = new ArrayList<>();
            if (kernelFrom != null) {
                out.addAll(kernelRecords(kernel.get(), kernelFrom, pids));
            }
            for (Watched w : cgroups.values()) {
                Long now = w.cgroup().oomKills();
                if (w.oomKillsAtFirstSight() != null && now != null && now > w.oomKillsAtFirstSight()) {
                    out.add("memory cgroup " + w.cgroup().path() + ": oom_kill " + w.oomKillsAtFirstSight() + " -> " + now
                            + " (" + w.cgroup().counterFile() + ")");
                }
            }
            if (nearLimit != null) {
                out.add(nearLimit);
            }
            return out;
        }
    }

    /**
     * The OOM-kill records after {@code from} that name one of {@code pids}, one per process killed,
     * as {@code kernel: TEXT}; the "Killed process" line where the kernel wrote one, else its
     * oom-kill summary.
     */
    static List<String> kernelRecords(List<KernelLog.Record> records, long from, Set<Long> pids) {
        Map<Long, String> byPid = new LinkedHashMap<>();
        for (KernelLog.Record r : records) {
            long pid = r.seq() > from ? KernelLog.killedPid(r.text()) : -1;
            if (pid > 0 && pids.contains(pid) && (!byPid.containsKey(pid) || KernelLog.isKilledProcessLine(r.text()))) {
                byPid.put(pid, "kernel: " + r.text());
            }
        }
        return new ArrayList<>(byPid.values());
    }

    static String nearLimitText(long rss, long limit, String of) {
        return String.format(java.util.Locale.ROOT, "the process tree's resident memory reached %s, %d%% of %s (%s)",
                mib(rss), Math.round(100.0 * rss / limit), of, mib(limit));
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** CPU time the sampling thread has used, and how many samples it took: what the watch costs. */
    public synchronized long cpuNanos() {
        return cpuNanos;
    }

    public synchronized int samples() {
        return samples;
    }

    /** MemTotal of /proc/meminfo in bytes, 0 when unknown. */
    private static long hostMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.substring(9).strip().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: the host is no limit medic can compare with
        }
        return 0;
    }
}
