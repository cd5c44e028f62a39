package dev.medic.rules;

import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;

import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * A narrow façade over one Drools session: insert, update, delete, fire (optionally with an agenda
 * group in focus), read facts back, close. Rules that throw or never settle become
 * {@link RuleException}s naming the rule and its file.
 */
public final class RuleSession implements AutoCloseable {
    private final RuleSet rules;
    private final KieSession session;
    private final int firingLimit;

    /** Firings per rule in the current fire call, to name the rule that never settles. */
    private final Map<String, Integer> firings = new HashMap<>();

    RuleSession(RuleSet rules, KieSession session, int firingLimit) {
        this.rules = rules;
        this.session = session;
        this.firingLimit = firingLimit;
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                firings.merge(event.getMatch().getRule().getName(), 1, Integer::sum);
            }
        });
    }

    public FactHandle insert(Object fact) {
        return session.insert(fact);
    }

    public void update(FactHandle handle, Object fact) {
        session.update(handle, fact);
    }

    public void delete(FactHandle handle) {
        session.delete(handle);
    }

    /** Fires the rules of the main agenda group until nothing is left to fire. */
    public int fire() {
        return fireChecked();
    }

    /** Fires with {@code agendaGroup} in focus (then whatever the main group has left). */
    public int fire(String agendaGroup) {
        session.getAgenda().getAgendaGroup(agendaGroup).setFocus();
        return fireChecked();
    }

    private int fireChecked() {
        int fired;
        firings.clear();
        try {
            fired = session.fireAllRules(firingLimit);
        } catch (ConsequenceException e) {
            String rule = e.getMatch() == null ? "?" : e.getMatch().getRule().getName();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            session.halt();
            throw new RuleException(rules.fileOf(rule) + ": rule \"" + rule + "\" threw " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (RuntimeException e) {
            throw new RuleException(rules.sources().origin() + ": rule evaluation failed: " + e);
        }
        if (fired >= firingLimit) {
            String rule = firings.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
            throw new RuleException(rules.fileOf(rule) + ": rule \"" + rule + "\" fired " + firings.getOrDefault(rule, 0) + " of "
                    + fired + " times without the rules settling; cut off (does it keep re-activating itself?)");
        }
        return fired;
    }

    public <T> List<T> facts(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : session.getObjects(o -> type.isInstance(o))) {
            out.add(type.cast(o));
        }
        return out;
    }

    @Override
    public void close() {
        session.dispose();
    }
}
