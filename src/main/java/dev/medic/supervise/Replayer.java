package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.facts.Attempt;
import dev.medic.facts.Context;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import dev.medic.facts.Signature;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.Ansi;
import dev.medic.logs.ExceptionReader;
import dev.medic.logs.Screen;
import dev.medic.logs.ScreenedLog;
import dev.medic.rules.RuleLimits;
import dev.medic.rules.RuleSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a saved log through the same screen, rules and ladder walk as a live first attempt. The
 * stream of each line is unknown, so stream-limited signatures match either stream.
 */
public final class Replayer {
    private final Catalog catalog;
    private final Supplier<RuleSet> rules;
    private final Fixer fixer;
    private final ScreenedLog.Reading reading;

    public Replayer(Catalog catalog, RuleSet rules, FixRegistry fixes) {
        this(catalog, () -> rules, fixes);
    }

    /**
     * @param rules asked for only when the first screened line needs the rule session, so a
     *              compilation started beforehand runs while the log is read
     */
    public Replayer(Catalog catalog, Supplier<RuleSet> rules, FixRegistry fixes) {
        this(catalog, rules, new Fixer(fixes), ScreenedLog.Reading.allCores());
    }

    private Replayer(Catalog catalog, Supplier<RuleSet> rules, Fixer fixer, ScreenedLog.Reading reading) {
        this.catalog = catalog;
        this.rules = rules;
        this.fixer = fixer;
        this.reading = reading;
    }

    /** The same replayer, reading logs as {@code reading} says (by default on every core). */
    public Replayer reading(ScreenedLog.Reading reading) {
        return new Replayer(catalog, rules, fixer, reading);
    }

    /**
     * @param spec    the command the log came from, or null (every executor is then assumed to apply)
     * @param context what is known of the machine the log came from ({@link Context#unknown()} if nothing)
     */
    public Verdict replay(Path log, int exitCode, RunSpec spec, Context context, int maxLine) throws IOException {
        return replay(log, exitCode, spec, context, maxLine, History.none());
    }

    /** As the attempt after {@code history}'s last one: the choice rules see its failures and fixes. */
    public Verdict replay(Path log, int exitCode, RunSpec spec, Context context, int maxLine, History history) throws IOException {
        RunSpec attemptSpec = spec != null ? spec : new RunSpec(List.of("replay"), Map.of(), Path.of("."));
        int number = history.attempts() + 1;
        Attempt attempt = new Attempt(number, attemptSpec, 0);
        Screen screen = new Screen(catalog.signatures());
        try (Judging judging = new Judging(attempt, history)) {
            // lines arrive in file order, on this thread: the rule session sees them as a live run would
            events(log, maxLine, screen, reading, number, e -> judging.judge().onLine(e));
            attempt.finish(exitCode, dev.medic.util.Signals.fromExitStatus(exitCode), false, 0, 0);
            return judging.judge().finish(spec, context);
        }
    }

    /**
     * The lines of a saved log that a signature matches, as events of attempt {@code attempt}, in
     * file order. The stream of a saved line is unknown, so a stream-limited signature matches either.
     */
    static void events(Path log, int maxLine, Screen screen, ScreenedLog.Reading reading, int attempt,
                       java.util.function.Consumer<LogEvent> sink) throws IOException {
        ExceptionReader exceptions = screen.exceptionReader();
        ScreenedLog.read(log, maxLine, screen, reading, (lineNo, b, off, len, matched) -> {
            String text = Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8));
            List<Signature> hits = exceptions.hits(matched, text, null, lineNo);
            if (!hits.isEmpty()) {
                sink.accept(new LogEvent(attempt, "log", lineNo, text, 0, hits));
            }
        });
    }

    /** The attempt's rule session, opened when the first line (or the end) needs it. */
    private final class Judging implements AutoCloseable {
        private final Attempt attempt;
        private final History history;
        private AttemptJudge judge;

        Judging(Attempt attempt, History history) {
            this.attempt = attempt;
            this.history = history;
        }

        AttemptJudge judge() {
            if (judge == null) {
                judge = new AttemptJudge(rules.get(), catalog, fixer, attempt, history.pastFailures(), history.applied(),
                        null, Map.of(), RuleLimits.defaults());
            }
            return judge;
        }

        @Override
        public void close() {
            if (judge != null) {
                judge.close();
            }
        }
    }
}
