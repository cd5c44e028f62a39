package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.facts.Attempt;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.Context;
import dev.medic.facts.Failure;
import dev.medic.facts.FixApplied;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.facts.LadderStep;
import dev.medic.facts.LogEvent;
import dev.medic.facts.PastFailure;
import dev.medic.facts.RunSpec;
import dev.medic.facts.StopRequest;
import dev.medic.fix.FixPlan;
import dev.medic.rules.Phase;
import dev.medic.rules.RuleLimits;
import dev.medic.rules.RuleSession;
import dev.medic.rules.RuleSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One attempt's rule session: log events go in as they come (and out again once the rules have
 * seen them), the attempt's end goes in last, and the detection, root-cause and choice phases run
 * in that order. Live runs and {@code medic replay} both use it, so they decide alike.
 */
public final class AttemptJudge implements AutoCloseable {
    /** Rule firings allowed per fire call: a rule set that never settles is cut off and reported. */
    static final int FIRING_LIMIT = 10_000;

    private final RuleSession session;
    private final Catalog catalog;
    private final Fixer fixer;
    private final Attempt attempt;
    private final Path runDir;
    private final Set<StopRequest> seenStops = new HashSet<>();
    private final List<FixApplied> applied;
    private final Map<String, Map<String, Object>> runSettings;

    public AttemptJudge(RuleSet rules, Catalog catalog, Fixer fixer, Attempt attempt, List<PastFailure> pastFailures,
                        List<FixApplied> applied, Path runDir, Map<String, Map<String, Object>> runSettings, RuleLimits limits) {
        this.session = rules.newSession(FIRING_LIMIT, limits);
        this.applied = List.copyOf(applied);
        this.runSettings = runSettings;
        this.catalog = catalog;
        this.fixer = fixer;
        this.attempt = attempt;
        this.runDir = runDir;
        List<Object> known = new ArrayList<>(catalog.entries());
        known.addAll(pastFailures);
        known.addAll(applied);
        session.insertAll(known);
        session.insert(attempt);
    }

    public Attempt attempt() {
        return attempt;
    }

    /** Lets the rules see one screened line; returns a new request to stop the attempt, or null. */
    public StopRequest onLine(LogEvent e) {
        session.fireWith(e);
        for (StopRequest s : session.facts(StopRequest.class)) {
            if (seenStops.add(s)) {
                return s;
            }
        }
        return null;
    }

    /** Failures found so far, in order of appearance. */
    public List<Failure> failures() {
        List<Failure> fs = session.facts(Failure.class);
        fs.sort(Comparator.comparingLong(Failure::getOrder).thenComparing(Failure::getId));
        return fs;
    }

    /**
     * Runs the end-of-attempt phases. {@code spec} is what the next attempt would change (null in a
     * replay without a command: every executor is then assumed to apply); {@code context} is what
     * is known of the machine now.
     */
    public Verdict finish(RunSpec spec, Context context) {
        session.insert(context);
        session.update(attempt);
        session.fire(Phase.DETECT);
        session.fire(Phase.ROOT);
        List<Failure> failures = failures();
        Failure root = failures.stream().filter(Failure::isRoot).findFirst().orElse(null);
        Map<Integer, FixPlan> plans = new HashMap<>();
        if (root != null) {
            CatalogEntry entry = catalog.entry(root.getId());
            List<LadderStep> ladder = entry == null ? List.of() : entry.getLadder();
            for (int i = 0; i < ladder.size(); i++) {
                LadderStep rung = ladder.get(i);
                FixOption o = new FixOption(root.getId(), i, rung.getFixId(), rung.getParams(), rung.getBudget());
                int uses = (int) applied.stream().filter(a -> a.getFixId().equals(rung.getFixId())).count();
                FixPlan plan = fixer.plan(catalog, root, i, rung, spec, runDir,
                        runSettings.getOrDefault(rung.getFixId(), Map.of()), uses);
                plans.put(i, plan);
                if (plan instanceof FixPlan.Cannot c) {
                    o.skip(c.reason());
                }
                session.insert(o);
            }
            session.fire(Phase.CHOOSE);
        }
        List<FixDecision> decisions = session.facts(FixDecision.class);
        FixDecision decision = decisions.isEmpty() ? null : decisions.get(0);
        List<FixOption> options = new ArrayList<>(session.facts(FixOption.class));
        options.sort(Comparator.comparingInt(FixOption::getStep));
        failures.sort(Comparator.comparing((Failure f) -> !f.isRoot()).thenComparingLong(Failure::getOrder));
        return new Verdict(failures, root, decision, options, plans);
    }

    @Override
    public void close() {
        session.close();
    }
}
