package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.facts.Attempt;
import dev.medic.facts.Context;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import dev.medic.facts.Signature;
import dev.medic.fix.FixRegistry;
import dev.medic.logs.Ansi;
import dev.medic.logs.LineSplitter;
import dev.medic.logs.Screen;
import dev.medic.rules.RuleSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a saved log through the same screen, rules and ladder walk as a live first attempt. The
 * stream of each line is unknown, so stream-limited signatures match either stream.
 */
public final class Replayer {
    private final Catalog catalog;
    private final RuleSet rules;
    private final Fixer fixer;

    public Replayer(Catalog catalog, RuleSet rules, FixRegistry fixes) {
        this.catalog = catalog;
        this.rules = rules;
        this.fixer = new Fixer(fixes);
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
        RunSpec attemptSpec = spec != null ? spec : new RunSpec(List.of("replay"), java.util.Map.of(), Path.of("."));
        int number = history.attempts() + 1;
        Attempt attempt = new Attempt(number, attemptSpec, 0);
        Screen screen = new Screen(catalog.signatures());
        try (AttemptJudge judge = new AttemptJudge(rules, catalog, fixer, attempt, history.pastFailures(), history.applied(),
                null, java.util.Map.of());
             InputStream in = Files.newInputStream(log)) {
            long[] lineNo = {0};
            boolean[] continuing = {false};
            LineSplitter splitter = new LineSplitter(maxLine, (b, off, len, term, cont) -> {
                if (!continuing[0]) {
                    lineNo[0]++;
                }
                continuing[0] = cont;
                if (!screen.mayMatch(b, off, len)) {
                    return;
                }
                String text = Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8));
                List<Signature> hits = screen.match(text, null);
                if (!hits.isEmpty()) {
                    judge.onLine(new LogEvent(number, "log", lineNo[0], text, 0, hits));
                }
            });
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                splitter.feed(buf, 0, n);
            }
            splitter.finish();
            attempt.finish(exitCode, dev.medic.util.Signals.fromExitStatus(exitCode), false, 0, 0);
            return judge.finish(spec, context);
        }
    }
}
