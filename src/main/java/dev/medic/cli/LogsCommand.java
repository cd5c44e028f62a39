package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.supervise.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Prints a run's output as saved in its run folder: the latest attempt, or --attempt N.",
        "With -f, keeps printing as it grows, goes on to each new attempt, and ends when the run's supervisor does."})
final class LogsCommand implements Callable<Integer> {
    private static final Pattern ATTEMPT_LOG = Pattern.compile("attempt-(\\d+)\\.log");

    @Parameters(index = "0", paramLabel = "RUN", description = "A run id (or its beginning), SWEEP/RUN, or a run folder.")
    String run;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the run ends.")
    boolean follow;

    @Option(names = "--attempt", paramLabel = "N", description = "This attempt only (default: the latest, and with -f every later one).")
    Integer attempt;

    @Mixin
    RunDirs dirs;


    @Override
    public Integer call() throws Exception {
        Path dir = dirs.resolve(run);
        int n = attempt != null ? attempt : Math.max(1, latest(dir));
        if (attempt != null && !Files.exists(log(dir, n)) && !(follow && live(dir))) {
            throw MedicException.badInput("run " + dir.getFileName() + " has no attempt " + n + " (latest: " + latest(dir) + ")");
        }
        OutputStream out = System.out;
        long offset = copy(log(dir, n), 0, out);
        int noted = noteTail(dir, n, 0);
        while (follow) {
            boolean wasLive = live(dir);
            offset = copy(log(dir, n), offset, out);
            noted = noteTail(dir, n, noted);
            if (attempt == null && latest(dir) > n) {
                offset = copy(log(dir, n), offset, out);
                n++;
                offset = 0;
                System.err.println("medic: attempt " + n);
                continue;
            }
            if (!wasLive) {
                // the supervisor was gone before this last read, so nothing more can come
                break;
            }
            Thread.sleep(200);
        }
        out.flush();
        return 0;
    }

    /**
     * Says once per attempt when its log is over --max-log-size: the newest output then waits in
     * side files and joins the log (after the marker line) when the attempt ends.
     */
    private static int noteTail(Path dir, int n, int noted) throws IOException {
        if (noted == n) {
            return noted;
        }
        String prefix = "attempt-" + n + ".log.tail-";
        try (Stream<Path> s = Files.list(dir)) {
            if (s.noneMatch(p -> p.getFileName().toString().startsWith(prefix))) {
                return noted;
            }
        }
        System.err.println("medic: attempt " + n + "'s log is past --max-log-size: its newest output is in " + prefix
                + "* and joins the log when the attempt ends");
        return n;
    }

    private static boolean live(Path dir) {
        return RunLock.liveOwner(dir).isPresent();
    }

    private static Path log(Path dir, int n) {
        return dir.resolve("attempt-" + n + ".log");
    }

    /** The highest attempt number with a log in the folder, 0 when none has one yet. */
    private static int latest(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> ATTEMPT_LOG.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }

    /** Copies what the file has past {@code offset}; returns the new offset. */
    private static long copy(Path file, long offset, OutputStream out) throws IOException {
        if (!Files.exists(file)) {
            return offset;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = f.read(buf)) > 0) {
                out.write(buf, 0, r);
                offset += r;
            }
        }
        out.flush();
        return offset;
    }
}
