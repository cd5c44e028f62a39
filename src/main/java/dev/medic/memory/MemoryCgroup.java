package dev.medic.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory cgroup of a process: its path as /proc/PID/cgroup gives it, the folder of that
 * cgroup, the mount point of its hierarchy, and the hierarchy's version (1 or 2). It answers two
 * questions, each null when its file cannot be read: how many processes the kernel's OOM killer
 * has killed in it ({@code oom_kill}), and the memory limit that applies to it.
 */
public record MemoryCgroup(int version, String path, Path dir, Path mount) {
    /** v1 writes "no limit" as the largest page-aligned long; anything this large is no limit. */
    private static final long UNLIMITED = 1L << 60;

    /**
     * The memory cgroup in the text of /proc/PID/cgroup: the v1 memory hierarchy's line
     * ({@code 4:memory:/path}) where that hierarchy is mounted, else the unified line
     * ({@code 0::/path}); null when neither applies.
     */
    public static MemoryCgroup of(String procCgroup, CgroupMounts mounts) {
        String v1 = mounts.v1() == null ? null : v1Path(procCgroup);
        if (v1 != null) {
            return new MemoryCgroup(1, v1, mounts.v1().dirOf(v1), mounts.v1().point());
        }
        String v2 = mounts.v2() == null ? null : v2Path(procCgroup);
        if (v2 != null) {
            return new MemoryCgroup(2, v2, mounts.v2().dirOf(v2), mounts.v2().point());
        }
        return null;
    }

    /** The path on the v1 line whose controller list holds {@code memory}, or null. */
    static String v1Path(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && !f[0].equals("0") && java.util.Arrays.asList(f[1].split(",")).contains("memory")) {
                return f[2].strip();
            }
        }
        return null;
    }

    /** The path on the unified hierarchy's line ({@code 0::/path}), or null. */
    static String v2Path(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
                return f[2].strip();
            }
        }
        return null;
    }

    /** The file holding the OOM-kill counter: v1 {@code memory.oom_control}, v2 {@code memory.events}. */
    public String counterFile() {
        return version == 1 ? "memory.oom_control" : "memory.events";
    }

    /** How many processes the OOM killer has killed in this cgroup (v2: and below it), or null when unreadable. */
    public Long oomKills() {
        String text = read(dir.resolve(counterFile()));
        return text == null ? null : oomKillCount(text);
    }

    /**
     * The {@code oom_kill N} line of memory.oom_control (v1: {@code oom_kill_disable 0},
     * {@code under_oom 0}, {@code oom_kill 1}) or memory.events (v2: {@code low}, {@code high},
     * {@code max}, {@code oom}, {@code oom_kill}, ...): null when there is none (a kernel before 4.13).
     */
    static Long oomKillCount(String text) {
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].equals("oom_kill")) {
                try {
                    return Long.parseLong(f[1]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The memory limit that applies here: the smallest of this cgroup's and its ancestors' (up to
     * the mount point), in bytes; null when none is set or none can be read.
     */
    public Long limitBytes() {
        String file = version == 1 ? "memory.limit_in_bytes" : "memory.max";
        Long min = null;
        for (Path d = dir; d != null && d.startsWith(mount); d = d.getParent()) {
            String text = read(d.resolve(file));
            Long limit = text == null ? null : parseLimit(text);
            if (limit != null && (min == null || limit < min)) {
                min = limit;
            }
        }
        return min;
    }

    /** A limit file's value in bytes; null for none ({@code max}, v1's huge default) or text that is not a number. */
    static Long parseLimit(String text) {
        String t = text.strip();
        try {
            long v = Long.parseLong(t);
            return v <= 0 || v >= UNLIMITED ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
