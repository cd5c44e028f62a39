package dev.medic.fix;

import dev.medic.catalog.ResumeFromCheckpointSettings;
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
import java.util.Optional;
import java.util.regex.Matcher;
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
    /** The step in a checkpoint's name (the last number after step/checkpoint/ckpt/iter): checkpoint-1200, epoch=3-step=1500.ckpt. */
    private static final Pattern STEP_IN_NAME = Pattern.compile("(?i)(?:step|checkpoint|ckpt|iter|iteration)[-_=]?(\\d{1,12})");

    @Override
    public String id() {
        return "resume_from_checkpoint";
    }

    /** Laid over every chosen fix once the settings name at least one checkpoint folder, i.e. resuming is wanted. */
    @Override
    public Optional<String> layer(Settings s) {
        return ResumeFromCheckpointSettings.of(s).dirs().isEmpty() ? Optional.empty() : Optional.of("resume");
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        ResumeFromCheckpointSettings s = ResumeFromCheckpointSettings.of(context.settings());
        Path newest = newest(spec.getWorkdir(), s.dirs(), s.patterns());
        if (newest == null) {
            return FixPlan.cannot("no checkpoint matching " + s.patterns() + " under " + s.dirs() + " yet");
        }
        String path = newest.toString();
        Set<String> flags = new HashSet<>(s.flags());
        Set<String> keys = new HashSet<>(s.keys());
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
            saved(newest, s).ifPresent(changes::add);
            return FixPlan.change(spec.withArgv(argv), changes);
        }
        List<String> added = styleArgument(spec.getArgv(), s, path);
        if (added.isEmpty()) {
            return FixPlan.cannot("no resume argument known for this command (looked for " + String.join(", ", s.flags())
                    + "); set fixes.resume_from_checkpoint.default_flag in the catalog");
        }
        argv.addAll(added);
        List<String> changes = new ArrayList<>(List.of("resume from " + path + ": added " + String.join(" ", added)));
        saved(newest, s).ifPresent(changes::add);
        return FixPlan.change(spec.withArgv(argv), changes);
    }

    /**
     * How much of the failed attempt's work the checkpoint keeps, from the last step its output
     * showed ({@code last_step}, laid over by the supervisor) and the step in the checkpoint's name.
     */
    static Optional<String> saved(Path checkpoint, ResumeFromCheckpointSettings s) {
        long reached;
        try {
            reached = Long.parseLong(s.lastStep());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Matcher m = STEP_IN_NAME.matcher(checkpoint.getFileName().toString());
        Long at = null;
        while (m.find()) {
            at = Long.parseLong(m.group(1));
        }
        if (at == null) {
            return Optional.of("the failed attempt reached step " + reached + "; the checkpoint's name gives no step");
        }
        return Optional.of("work saved: the checkpoint is at step " + at + " of the " + reached + " the failed attempt reached ("
                + Math.min(at, reached) + " steps kept, " + Math.max(0, reached - at) + " to redo)");
    }

    private static List<String> styleArgument(List<String> argv, ResumeFromCheckpointSettings s, String path) {
        String configured = s.defaultFlag();
        if (!configured.isEmpty()) {
            return List.of(configured, path);
        }
        if (argv.stream().anyMatch(a -> s.hfMarkers().contains(a.split("=", 2)[0]))) {
            return List.of(s.hfFlag(), path);
        }
        if (argv.stream().anyMatch(a -> s.lightningSubcommands().contains(a) || a.startsWith("--trainer."))) {
            return List.of(s.lightningFlag(), path);
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
