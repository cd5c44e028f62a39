package dev.medic.memory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's log as /dev/kmsg gives it: one record per read, {@code PRIO,SEQ,TIME,FLAGS;TEXT},
 * numbered by a sequence that only grows, so "after this record" is exact where times would
 * not be. Java cannot open /dev/kmsg without blocking at its end, so {@code dd iflag=nonblock}
 * reads it (it stops at EAGAIN). Unreadable (not root, {@code dmesg_restrict}, no dd): no records.
 */
public final class KernelLog {
    private static final Path KMSG = Path.of("/dev/kmsg");
    /** Records are at most 8 KiB; a read into a smaller buffer fails. */
    private static final List<String> DD = List.of("dd", "if=" + KMSG, "iflag=nonblock", "bs=16384", "status=none");
    private static final long READ_LIMIT_MS = 3000;
    /** "Memory cgroup out of memory: Killed process 25357 (python3) total-vm:..." and "Out of memory: Killed process ...". */
    private static final Pattern KILLED_PROCESS = Pattern.compile("\\bKilled process (\\d+) \\(");
    /** "oom-kill:constraint=CONSTRAINT_MEMCG,...,task_memcg=/x,task=python3,pid=25357,uid=0". */
    private static final Pattern OOM_KILL = Pattern.compile("^oom-kill:.*[,:]pid=(\\d+)(?:,|$)");

    private KernelLog() {
    }

    /** One record: its sequence number and its text (escapes as the kernel wrote them). */
    public record Record(long seq, String text) {
    }

    /** Every record the kernel still holds, oldest first; empty when the log cannot be read. */
    public static List<Record> read() {
        if (!Files.isReadable(KMSG)) {
            return List.of();
        }
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("medic-kmsg", ".txt");
            p = new ProcessBuilder(DD).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // dd ends at the log's end (EAGAIN, exit 1); one that does not is not the dd this expects
            if (!p.waitFor(READ_LIMIT_MS, TimeUnit.MILLISECONDS)) {
                return List.of();
            }
            return parseAll(Files.readString(out, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a leftover temporary file holds only what dmesg shows root anyway
                }
            }
        }
    }

    static List<Record> parseAll(String text) {
        List<Record> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Record r = parse(line);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * One line of /dev/kmsg output, or null for anything else (a continuation line starting with a
     * space carries the record's key=value dictionary).
     */
    static Record parse(String line) {
        int semi = line.indexOf(';');
        if (semi <= 0 || line.startsWith(" ")) {
            return null;
        }
        String[] head = line.substring(0, semi).split(",");
        if (head.length < 3) {
            return null;
        }
        try {
            Integer.parseInt(head[0]);
            return new Record(Long.parseLong(head[1]), line.substring(semi + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The process an OOM-kill record names ({@code Killed process N (} or {@code oom-kill:...,pid=N,}), or -1. */
    static long killedPid(String text) {
        Matcher m = KILLED_PROCESS.matcher(text);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        m = OOM_KILL.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** True for the kernel's own "Killed process" line, which reads better as evidence than its oom-kill summary. */
    static boolean isKilledProcessLine(String text) {
        return KILLED_PROCESS.matcher(text).find();
    }
}
