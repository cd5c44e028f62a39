package dev.medic.supervise;

import dev.medic.ExitCodes;
import dev.medic.backend.RunBackend;
import dev.medic.facts.Attempt;
import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;
import dev.medic.facts.FixApplied;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.facts.PastFailure;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixAction;
import dev.medic.fix.FixExecutor;
import dev.medic.fix.FixPlan;
import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.journal.RunStatus;
import dev.medic.progress.ProgressTracker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;


/**
 * Carries out what follows a judged attempt ({@link OutcomePolicy} says what): journals its
 * failures and the decision, runs the chosen fix's actions, and journals the fix applied with
 * what {@code --resume} needs to rebuild the next command.
 */
final class NextStep {
    /** What the run does now. */
    sealed interface Step {
    }

    /** The run ends. */
    record End(RunStatus status, int exitCode) implements Step {
    }

    /** The run escalates to a person. */
    record Escalate(String reason) implements Step {
    }

    /** The next attempt runs {@code spec}, after at least {@code delay}. */
    record Next(RunSpec spec, Duration delay) implements Step {
    }

    private final Journal journal;
    private final RunLedger ledger;
    private final Fixer fixer;
    private final Knowledge knowledge;
    private final RunOptions options;
    private final RunFolder folder;
    private final RunBackend backend;
    private final TimeLimits limits;
    private final Supplier<ProgressTracker> progress;
    private final ActionRunner actions = new ActionRunner();

    NextStep(Journal journal, RunLedger ledger, Fixer fixer, Knowledge knowledge, RunOptions options, RunFolder folder,
             RunBackend backend, TimeLimits limits, Supplier<ProgressTracker> progress) {
        this.journal = journal;
        this.ledger = ledger;
        this.fixer = fixer;
        this.knowledge = knowledge;
        this.options = options;
        this.folder = folder;
        this.backend = backend;
        this.limits = limits;
        this.progress = progress;
    }

    /** Journals the attempt's failures and the decision, and carries it out. */
    Step after(int n, Attempt attempt, Verdict verdict, RunSpec spec) throws InterruptedException {
        for (Failure f : verdict.failures()) {
            journal.write(new Event.Failure(null, n, f.getId(), f.isRoot(), fingerprint(f), f.getMatchCount(), evidence(f)));
        }
        Failure root = verdict.root();
        FixDecision d = verdict.decision();
        FixPlan.Change change = null;
        boolean spends = true;
        if (root != null || attempt.isFailed()) {
            if (root != null) {
                ledger.failed(new PastFailure(n, root.getId(), root.getFingerprint()));
            }
            journalDecision(n, root, d, verdict);
            if (d != null && !d.isEscalate()) {
                change = layered((FixPlan.Change) verdict.chosenPlan(), root, n);
                FixExecutor executor = fixer.registry().get(d.getFixId());
                spends = executor == null || executor.spendsAttemptBudget();
            }
        }
        var budgets = new OutcomePolicy.Budgets(n - ledger.freeAttempts(), options.maxAttempts(), limits.timeLeft(), options.totalTimeout());
        OutcomePolicy.Outcome outcome = OutcomePolicy.after(attempt, verdict, change, spends, budgets, options.dryRun());
        ledger.summary(outcome.summary());
        if (outcome instanceof OutcomePolicy.Finish f) {
            return new End(f.status(), f.exitCode());
        }
        if (outcome instanceof OutcomePolicy.Escalate e) {
            return new Escalate(e.reason());
        }
        if (outcome instanceof OutcomePolicy.Planned p) {
            journal.write(new Event.FixPlanned(null, n, d.getFixId(), p.change().changes(), p.change().next().getArgv()));
            return new End(RunStatus.DRY_RUN, ExitCodes.RUN_FAILED);
        }
        return retry(n, root, d, (OutcomePolicy.Retry) outcome, spec);
    }

    private void journalDecision(int n, Failure root, FixDecision d, Verdict verdict) {
        List<Event.Skipped> skipped = new ArrayList<>();
        for (FixOption o : verdict.options()) {
            if (o.isSkipped()) {
                skipped.add(new Event.Skipped(o.getStep(), o.getFixId(), o.getSkipReason()));
            }
        }
        String failureId = root == null ? null : root.getId();
        if (d == null) {
            journal.write(new Event.Decision(null, n, failureId, FixDecision.ESCALATE, Map.of(), null, "no rule chose a fix", skipped));
        } else {
            journal.write(new Event.Decision(null, n, failureId, d.getFixId(), d.getParams(), d.getStep(), d.getReason(), skipped));
        }
    }

    /** Runs the fix's actions and journals it applied; the next attempt runs what it made. */
    private Step retry(int n, Failure root, FixDecision d, OutcomePolicy.Retry r, RunSpec spec) throws InterruptedException {
        FixPlan.Change change = r.change();
        for (FixAction action : change.actions()) {
            ActionRunner.Result done = actions.run(action, backend, spec, folder.files(),
                    folder.dir().resolve("fix-" + n + "-" + d.getFixId() + ".log"));
            journal.write(new Event.FixAction(null, n, d.getFixId(), action.description(),
                    action instanceof FixAction.RunCommand c ? c.argv() : List.of(), done.ok(), done.summary(), done.tail(),
                    done.log() == null ? null : done.log().toString()));
            if (!done.ok()) {
                return new Escalate(d.getFixId() + " failed: " + action.description() + ": " + done.summary());
            }
        }
        RunSpec next = change.next();
        // a variable the fix sets is journaled before the next attempt starts: its secrets must be known now
        journal.setRedactor(journal.redactor().plus(next.getEnv()));
        // env_set, env_unset and backend_settings: what --resume needs to rebuild the next command exactly
        journal.write(new Event.FixApplied(null, n, d.getFixId(), change.changes(), next.getArgv(), next.envChangedFrom(spec.getEnv()),
                envSet(spec, next), envUnset(spec, next), next.getBackendSettings(), !next.equals(spec), r.spendsAttempt()));
        ledger.applied(new FixApplied(n, root == null ? null : root.getId(), d.getStep(), d.getFixId(), d.getParams(), !next.equals(spec)));
        if (!r.spendsAttempt()) {
            ledger.freeAttempt();
        }
        return new Next(next, change.delay());
    }

    private static Map<String, String> envSet(RunSpec before, RunSpec after) {
        Map<String, String> set = new java.util.TreeMap<>();
        after.getEnv().forEach((k, v) -> {
            if (!v.equals(before.getEnv().get(k))) {
                set.put(k, v);
            }
        });
        return set;
    }

    private static List<String> envUnset(RunSpec before, RunSpec after) {
        return before.getEnv().keySet().stream().filter(k -> !after.getEnv().containsKey(k)).sorted().toList();
    }

    /** Lays the layer fixes (resume from checkpoint, where configured) over the chosen one. */
    private FixPlan.Change layered(FixPlan.Change change, Failure root, int n) {
        Object lastStep = progress.get().toFields().get("step");
        Map<String, Object> failed = lastStep == null ? Map.of() : Map.of("last_step", lastStep.toString());
        return fixer.layered(knowledge.catalog(), change, root, folder.dir(), n, options.fixSettings(), failed,
                (layer, reason) -> journal.write(new Event.LayerSkipped(null, n, layer, reason)));
    }

    private List<Event.Evidence> evidence(Failure f) {
        List<Event.Evidence> out = new ArrayList<>();
        for (Evidence e : f.getEvidence()) {
            out.add(new Event.Evidence(e.lineNo(), e.stream(), journal.redactor().redactEvidence(e)));
        }
        return out;
    }

    /** {@link Failure#getFingerprint()} of the redacted evidence: what --resume computes back from the journal. */
    private String fingerprint(Failure f) {
        List<Evidence> ev = f.getEvidence();
        return f.getId() + "|" + (ev.isEmpty() ? "" : journal.redactor().redactEvidence(ev.get(0)).strip());
    }
}
