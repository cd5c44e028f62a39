package dev.medic.discover;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a Python program's {@code --help} once, as an argv list: no GPUs visible
 * ({@code CUDA_VISIBLE_DEVICES=""}), stdin from /dev/null, in a process group of its own
 * ({@code setsid}), output capped. A program that has not exited within the limit, or whose first
 * output shows no usage text (it ignored --help and started training), is stopped with its whole
 * group: a probe must never become a second training run.
 */
public final class HelpProbe {
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);
    static final int MAX_OUTPUT = 256 * 1024;
    /** The usage text must show within this much output, or the program is not printing help. */
    static final int FIRST_OUTPUT = 4096;
    private static final Pattern USAGE = Pattern.compile("(?m)(usage:|Usage:|Options:)");
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    /** What a probe gave: the help text, or why there is none. */
    public record Result(String help, String why) {
    }

    private final Duration limit;

    public HelpProbe(Duration limit) {
        this.limit = limit;
    }

    public Result run(List<String> argv, Map<String, String> env, Path workdir) throws InterruptedException {
        List<String> cmd = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(p -> cmd.add(p.toString()));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("CUDA_VISIBLE_DEVICES", "");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(null, "--help could not start: " + e.getMessage());
        }
        Output out = new Output(p.getInputStream());
        Thread reader = new Thread(out, "medic-help-probe");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (p.isAlive()) {
                if (out.withoutUsage()) {
                    return new Result(null, "--help printed no usage text in its first output (it started working); stopped");
                }
                if (System.nanoTime() > deadline) {
                    return new Result(null, "--help did not finish within " + limit.toMillis() / 1000.0 + " s; stopped");
                }
                p.waitFor(50, TimeUnit.MILLISECONDS);
            }
            reader.join(1000);
            String text = out.text();
            if (!USAGE.matcher(text).find()) {
                return new Result(null, "--help printed no usage text (exit " + p.exitValue() + ")");
            }
            return new Result(text, null);
        } finally {
            stopGroup(p);
        }
    }

    /** Kills the probe's process group (setsid made the probe its leader) and then anything left of its tree. */
    private static void stopGroup(Process p) throws InterruptedException {
        long pid = p.pid();
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the tree walk below still stops what it can see
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    /** Collects the first {@link #MAX_OUTPUT} bytes and drains the rest, so the program never blocks on a full pipe. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final StringBuilder text = new StringBuilder();
        private int bytes;

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (this) {
                        int keep = Math.max(0, Math.min(n, MAX_OUTPUT - bytes));
                        text.append(new String(buf, 0, keep, StandardCharsets.UTF_8));
                        bytes += n;
                    }
                }
            } catch (IOException e) {
                // the process was stopped: what was read is all there is
            }
        }

        synchronized String text() {
            return text.toString();
        }

        /** True once the output is long enough that help would have shown its usage line, and it has not. */
        synchronized boolean withoutUsage() {
            long lines = text.chars().filter(c -> c == '\n').count();
            return (bytes >= FIRST_OUTPUT || lines >= 40) && !USAGE.matcher(text).find();
        }
    }
}
