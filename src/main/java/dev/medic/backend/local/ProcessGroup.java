package dev.medic.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one attempt: everything in the process group the child leads (it starts in a
 * session of its own), and every process whose environment carries the attempt's marker, which
 * finds daemons that started a session of their own and orphans that init adopted. Read from
 * /proc each time, so a recycled process id is never mistaken for one of ours.
 */
final class ProcessGroup {
    /** Environment variable every process of an attempt inherits. */
    static final String MARKER = "MEDIC_ATTEMPT";
    private static final Path PROC = Path.of("/proc");

    private final long pgid;
    private final byte[] marker;

    ProcessGroup(long pgid, String markerValue) {
        this.pgid = pgid;
        this.marker = (MARKER + "=" + markerValue).getBytes(StandardCharsets.UTF_8);
    }

    /** Live (not zombie) members. */
    List<ProcessHandle> members() {
        List<ProcessHandle> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == self) {
                    continue;
                }
                String[] stat = stat(p);
                if (stat == null || "Z".equals(stat[0])) {
                    continue;
                }
                if (Long.parseLong(stat[2]) == pgid || hasMarker(p)) {
                    ProcessHandle.of(pid).ifPresent(out::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: nothing more can be found
        }
        return out;
    }

    /** The fields of /proc/N/stat after the command name: state, ppid, pgrp, ... */
    private static String[] stat(Path procDir) {
        try {
            String s = Files.readString(procDir.resolve("stat"));
            // the command name may hold spaces and parentheses: fields start after the last ')'
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True when process {@code pid} runs with exactly this attempt marker. */
    static boolean carries(long pid, String markerValue) {
        return new ProcessGroup(-1, markerValue).hasMarker(PROC.resolve(Long.toString(pid)));
    }

    private boolean hasMarker(Path procDir) {
        byte[] env;
        try {
            env = Files.readAllBytes(procDir.resolve("environ"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        // entries are NUL-separated NAME=VALUE
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == marker.length && java.util.Arrays.equals(env, start, i, marker, 0, marker.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
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
            Thread.sleep(20);
            live = members();
            if (live.isEmpty()) {
                return;
            }
            // a member forked after the first TERM gets its own
            live.forEach(ProcessHandle::destroy);
        }
        for (int round = 0; round < 100; round++) {
            live = members();
            if (live.isEmpty()) {
                return;
            }
            live.forEach(ProcessHandle::destroyForcibly);
            Thread.sleep(20);
        }
    }
}
