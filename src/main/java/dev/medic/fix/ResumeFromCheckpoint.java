package dev.medic.fix;

import dev.medic.catalog.Settings;
import dev.medic.facts.RunSpec;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Points the next attempt at the newest checkpoint, so a retry after step 50,000 does not start
 * again at step 0. Applied on top of whatever fix the rules chose, when the run's settings say
 * where checkpoints go ({@code --checkpoint-dir}, or {@code dirs} in the catalog). It replaces the
 * value of a resume argument the command has, or adds one in the command's style (HF
 * TrainingArguments, Lightning CLI, Hydra); it never guesses a flag for an unknown program.
 */
public final class ResumeFromCheckpoint implements FixExecutor {
    private static final int MAX_DEPTH = 4;
    /** A path: anything but the next flag ({@code --resume --epochs 10}: --resume is a switch there, --epochs stays). */
    private static final Pattern PATH = Pattern.compile("[^-].*");

    @Override
    public String id() {
        return "resume_from_checkpoint";
    }

    /** True when settings name at least one checkpoint folder, i.e. resuming is wanted. */
    public static boolean configured(Settings s) {
        return !s.strings("dirs").isEmpty();
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        Settings s = context.settings();
        Path newest = newest(spec.getWorkdir(), s.strings("dirs"), s.strings("patterns"));
        if (newest == null) {
            return FixPlan.cannot("no checkpoint matching " + s.strings("patterns") + " under " + s.strings("dirs") + " yet");
        }
        String path = newest.toString();
        Set<String> flags = new HashSet<>(s.strings("flags"));
        Set<String> keys = new HashSet<>(s.strings("keys"));
        List<ArgValue> found = ArgValue.find(spec.getArgv(), flags, keys, PATH);
        List<String> argv = new ArrayList<>(spec.getArgv());
        if (!found.isEmpty()) {
            List<String> changes = new ArrayList<>();
            for (ArgValue v : found) {
                if (!v.value().equals(path)) {
                    argv.set(v.index(), v.replaced(path));
                    changes.add(v.describe() + ": " + v.value() + " -> " + path);
                }
            }
            if (changes.isEmpty()) {
                return FixPlan.cannot("the command already resumes from " + path);
            }
            return FixPlan.change(spec.withArgv(argv), changes);
        }
        List<String> added = styleArgument(spec.getArgv(), s, path);
        if (added.isEmpty()) {
            return FixPlan.cannot("no resume argument known for this command (looked for " + String.join(", ", s.strings("flags"))
                    + "); set fixes.resume_from_checkpoint.default_flag in the catalog");
        }
        argv.addAll(added);
        return FixPlan.change(spec.withArgv(argv), List.of("resume from " + path + ": added " + String.join(" ", added)));
    }

    private static List<String> styleArgument(List<String> argv, Settings s, String path) {
        String configured = s.string("default_flag", "");
        if (!configured.isEmpty()) {
            return List.of(configured, path);
        }
        if (argv.stream().anyMatch(a -> s.strings("hf_markers").contains(a.split("=", 2)[0]))) {
            return List.of(s.string("hf_flag", "--resume_from_checkpoint"), path);
        }
        if (argv.stream().anyMatch(a -> s.strings("lightning_subcommands").contains(a) || a.startsWith("--trainer."))) {
            return List.of(s.string("lightning_flag", "--ckpt_path"), path);
        }
        return List.of();
    }

    /** The most recently modified file or folder matching one of the patterns, searched a few levels deep. */
    static Path newest(Path workdir, List<String> dirs, List<String> patterns) {
        List<PathMatcher> matchers = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        Path best = null;
        FileTime bestTime = null;
        for (String d : dirs) {
            Path root = workdir.resolve(d);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
                for (Path p : walk.toList()) {
                    Path name = p.getFileName();
                    if (name == null || p.equals(root) || matchers.stream().noneMatch(m -> m.matches(name))) {
                        continue;
                    }
                    FileTime t = Files.getLastModifiedTime(p);
                    if (bestTime == null || t.compareTo(bestTime) > 0) {
                        best = p;
                        bestTime = t;
                    }
                }
            } catch (IOException e) {
                // an unreadable folder has no checkpoint for us
            }
        }
        return best;
    }
}
