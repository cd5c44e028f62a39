package dev.medic.memory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A process and its descendants, read from /proc: each thread's {@code children} file names the
 * processes that thread started, so a sample costs a few small reads per process rather than a
 * scan of every process on the host. A kernel without those files gets the scan (every
 * /proc/N/stat's parent).
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /** {@code root} (when it is there) and every live process below it. */
    static List<Long> of(long root) {
        if (!Files.isDirectory(PROC.resolve(Long.toString(root)))) {
            return List.of();
        }
        Set<Long> seen = new LinkedHashSet<>();
        Deque<Long> todo = new ArrayDeque<>();
        todo.add(root);
        try {
            while (!todo.isEmpty()) {
                long pid = todo.poll();
                if (seen.add(pid)) {
                    todo.addAll(children(pid));
                }
            }
        } catch (NoSuchFileException e) {
            return byParent(root);
        }
        return new ArrayList<>(seen);
    }

    /** The children of every thread of {@code pid}; none when it has gone. Throws when the kernel has no children files. */
    private static List<Long> children(long pid) throws NoSuchFileException {
        List<Long> out = new ArrayList<>();
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                String text;
                try {
                    text = Files.readString(t.resolve("children"));
                } catch (NoSuchFileException e) {
                    if (Files.isDirectory(t)) {
                        throw e; // the thread is there, its children file is not: no CONFIG_PROC_CHILDREN
                    }
                    continue; // the thread ended meanwhile
                }
                for (String c : text.strip().split("\\s+")) {
                    if (!c.isEmpty()) {
                        out.add(Long.parseLong(c));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            if (Files.isDirectory(tasks)) {
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            // gone, or unreadable: no children known
        }
        return out;
    }

    /** The same tree from every process's parent, for kernels without children files. */
    private static List<Long> byParent(long root) {
        java.util.Map<Long, List<Long>> kids = new java.util.HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long ppid = parentOf(p);
                if (ppid > 0) {
                    kids.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: only the root is known
        }
        List<Long> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (!out.contains(pid)) {
                out.add(pid);
                todo.addAll(kids.getOrDefault(pid, List.of()));
            }
        }
        return out;
    }

    private static long parentOf(Path procDir) {
        try {
            String s = Files.readString(procDir.resolve("stat"));
            // the command name may hold spaces and parentheses: the fields after it start at the last ')'
            return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process's resident memory (VmRSS) in bytes; 0 when it has gone or has none (a zombie, a kernel thread). */
    static long rssBytes(long pid) {
        String status = read(pid, "status");
        return status == null ? 0 : vmRssBytes(status);
    }

    /** The {@code VmRSS: 1234 kB} line of /proc/PID/status, in bytes; 0 when there is none. */
    static long vmRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).strip().split("\\s+");
                try {
                    return Long.parseLong(f[0]) * 1024;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** The text of /proc/PID/FILE, or null when it cannot be read (the process has gone). */
    static String read(long pid, String file) {
        try {
            return Files.readString(PROC.resolve(Long.toString(pid)).resolve(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
