package dev.medic.supervise;

import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;
import dev.medic.facts.RunSpec;
import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.logs.Redactor;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
import dev.medic.util.Hosts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/** Hands a run to a person: an {@link Escalation} with the run's story, redacted, sent to every notifier. */
final class Escalator {
    private final Journal journal;
    private final RunLedger ledger;
    private final Knowledge knowledge;
    private final RunFolder folder;
    private final TimeLimits limits;
    private final List<Notifier> notifiers;

    Escalator(Journal journal, RunLedger ledger, Knowledge knowledge, RunFolder folder, TimeLimits limits, List<Notifier> notifiers) {
        this.journal = journal;
        this.ledger = ledger;
        this.knowledge = knowledge;
        this.folder = folder;
        this.limits = limits;
        this.notifiers = List.copyOf(notifiers);
    }

    /** Tells every notifier, and journals whom and with what result. */
    void escalate(int n, Failure root, String reason, RunSpec spec) {
        var entry = root == null ? null : knowledge.catalog().entry(root.getId());
        Redactor redactor = journal.redactor();
        List<String> evidenceLines = new ArrayList<>();
        if (root != null) {
            for (Evidence e : root.getEvidence()) {
                evidenceLines.add(new Evidence(e.lineNo(), e.stream(), redactor.redactEvidence(e)).toString());
            }
        }
        Escalation esc = new Escalation(folder.runId(), Hosts.name(), String.join(" ", redactor.redactArgv(spec.getArgv())),
                root == null ? null : root.getId(), evidenceLines, redactor.redact(reason),
                entry == null ? "" : entry.getEscalation(), ledger.summaries().stream().map(redactor::redact).toList(),
                limits.runMillis(), folder.dir().toAbsolutePath().toString(), attemptLogs(n));
        Map<String, String> results = new LinkedHashMap<>();
        for (Notifier notifier : notifiers) {
            String r;
            try {
                r = notifier.send(esc);
            } catch (RuntimeException e) {
                r = "failed: " + e.getMessage();
            }
            results.put(notifier.name(), r);
        }
        journal.write(new Event.Escalated(null, n, root == null ? null : root.getId(), reason, results));
    }

    private List<String> attemptLogs(int n) {
        List<String> logs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            logs.add(folder.attemptLog(i).toAbsolutePath().toString());
        }
        return logs;
    }
}
