package dev.medic.backend.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes of one attempt: everything in the process group the child leads (it starts in a
 * session of its own), plus descendants seen while the child was alive, in case one of them
 * started its own session. Read from /proc, so it works for orphans that init adopted too.
 */
final class ProcessGroup {
    private static final Path PROC = Path.of("/proc");
    private final long pgid;
    private final Set<Long> seenDescendants = new LinkedHashSet<>();

    ProcessGroup(long pgid) {
        this.pgid = pgid;
    }

    /** Remembers the live descendants of the leader (cheap; called while it runs). */
    void noteDescendants() {
        ProcessHandle.of(pgid).ifPresent(h -> h.descendants().forEach(d -> seenDescendants.add(d.pid())));
    }

    /** Live members: processes whose group is the attempt's, and remembered descendants still alive. */
    List<ProcessHandle> members() {
        List<ProcessHandle> out = new ArrayList<>();
        Set<Long> pids = new LinkedHashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pgrp = readPgrp(p);
                if (pgrp == pgid) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // /proc unreadable: fall back to what ProcessHandle knows
        }
        pids.addAll(seenDescendants);
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> !isZombie(pid)).ifPresent(out::add);
        }
        return out;
    }

    private static long readPgrp(Path procDir) {
        try {
            String stat = Files.readString(procDir.resolve("stat"));
            // the command name may contain spaces and parentheses: fields start after the last ')'
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            return Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')');
            return stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** TERM to every member, then KILL to what is left after {@code graceMillis}. */
    void terminate(long graceMillis) throws InterruptedException {
        List<ProcessHandle> live = members();
        if (live.isEmpty()) {
            return;
        }
        live.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            live = members();
            if (live.isEmpty()) {
                return;
            }
            // a member forked after the first TERM gets its own
            live.forEach(ProcessHandle::destroy);
            Thread.sleep(20);
        }
        for (int round = 0; round < 50; round++) {
            live = members();
            if (live.isEmpty()) {
                return;
            }
            live.forEach(ProcessHandle::destroyForcibly);
            Thread.sleep(20);
        }
    }
}
