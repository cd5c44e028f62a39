package dev.medic.rules;

import dev.medic.ExitCodes;
import dev.medic.util.Durations;
import dev.medic.util.Exits;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A narrow façade over one Drools session: insert, update, delete, fire (optionally with an agenda
 * group in focus), read facts back, close. Rules that throw or never settle become
 * {@link RuleException}s naming the rule and its file.
 *
 * <p>Rule code runs on a thread of the session's own, so that a rule that loops, sleeps or calls
 * {@code System.exit} cannot hold the caller: a call waits at most the {@link RuleLimits} timeout,
 * and gives up at once when a stop is requested. A rule left running is abandoned with its session.
 */
public final class RuleSession implements AutoCloseable {
    /** How often a waiting call looks at the clock, the stop request and a System.exit. */
    private static final long CHECK_EVERY_MS = 100;
    /** How long a System.exit from a rule waits for medic to end the run before halting anyway. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(90);
    private static final Set<RuleSession> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RuleSession::onShutdown, "medic-rule-exit"));
    }

    private final RuleSet rules;
    private final KieSession session;
    private final int firingLimit;
    private final RuleLimits limits;
    private final ExecutorService evaluator;
    private volatile Thread evaluatorThread;
    /** The rule whose consequence runs now, or null (between firings, or in a condition). */
    private volatile String firing;
    private volatile boolean evaluating;
    private volatile boolean exitCalled;
    /** Why the session was given up with a rule still running; it is not used again. */
    private volatile String abandoned;

    /** Firings per rule in the current fire call, to name the rule that never settles. */
    private final Map<String, Integer> firings = new HashMap<>();

    RuleSession(RuleSet rules, KieSession session, int firingLimit, RuleLimits limits) {
        this.rules = rules;
        this.session = session;
        this.firingLimit = firingLimit;
        this.limits = limits;
        this.evaluator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "medic-rules");
            t.setDaemon(true);
            evaluatorThread = t;
            return t;
        });
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing = event.getMatch().getRule().getName();
            }

            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                firing = null;
                firings.merge(event.getMatch().getRule().getName(), 1, Integer::sum);
            }
        });
        LIVE.add(this);
    }

    /** Inserts {@code fact}; it is found again by identity for {@link #update} and {@link #delete}. */
    public void insert(Object fact) {
        evaluate(() -> session.insert(fact));
    }

    /** Inserts every fact in one evaluation. */
    public void insertAll(Collection<?> facts) {
        evaluate(() -> {
            facts.forEach(session::insert);
            return null;
        });
    }

    /** Inserts {@code fact}, fires the main agenda group, and deletes the fact again: one evaluation, one hand-over. */
    public int fireWith(Object fact) {
        return evaluate(() -> {
            FactHandle h = session.insert(fact);
            int fired = fireChecked();
            session.delete(h);
            return fired;
        });
    }

    /** Tells the rules that {@code fact}, inserted before, has changed. */
    public void update(Object fact) {
        evaluate(() -> {
            session.update(handleOf(fact), fact);
            return null;
        });
    }

    public void delete(Object fact) {
        evaluate(() -> {
            session.delete(handleOf(fact));
            return null;
        });
    }

    private FactHandle handleOf(Object fact) {
        FactHandle h = session.getFactHandle(fact);
        if (h == null) {
            throw new IllegalArgumentException("not in the session: " + fact);
        }
        return h;
    }

    /** Fires the rules of the main agenda group until nothing is left to fire. */
    public int fire() {
        return evaluate(this::fireChecked);
    }

    /** Fires the rules of {@code phase} (then whatever the main group has left). */
    public int fire(Phase phase) {
        if (phase == Phase.DETECT) {
            return fire();
        }
        return evaluate(() -> {
            session.getAgenda().getAgendaGroup(phase.agendaGroup()).setFocus();
            return fireChecked();
        });
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

    /** Runs {@code work} on the evaluator thread and waits for it within the limits. */
    private <T> T evaluate(Callable<T> work) {
        if (abandoned != null) {
            throw new RuleException(abandoned);
        }
        Future<T> result = evaluator.submit(() -> {
            firing = null;
            evaluating = true;
            try {
                return work.call();
            } finally {
                evaluating = false;
            }
        });
        long start = System.nanoTime();
        long limit = limits.timeout().toNanos();
        try {
            while (true) {
                try {
                    return result.get(CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    if (exitCalled) {
                        throw abandon(new RuleException(running(null) + " called System.exit; a rule may not end medic"));
                    }
                    if (limits.stopRequested().getAsBoolean()) {
                        throw abandon(new RuleInterrupted(running(null)));
                    }
                    if (limit > 0 && System.nanoTime() - start >= limit) {
                        throw abandon(new RuleException(running(null) + " ran longer than the rule timeout ("
                                + Durations.format(limits.timeout()) + "); cut off (does it loop or sleep?)"));
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            // OutOfMemoryError, StackOverflowError and the like: the rule's own doing, one line
            throw new RuleException(running(cause) + " threw " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(new RuleInterrupted(running(null)));
        }
    }

    private RuntimeException abandon(RuntimeException why) {
        abandoned = why.getMessage();
        rules.leftBehind();
        return why;
    }

    /**
     * {@code file: rule "name"} for the rule that runs now: the consequence being fired, else the
     * rule whose generated condition class is on the stack ({@code error}'s, or the evaluator's).
     */
    private String running(Throwable error) {
        String rule = firing;
        StackTraceElement[] stack = error != null ? error.getStackTrace()
                : evaluatorThread == null ? new StackTraceElement[0] : evaluatorThread.getStackTrace();
        if (rule == null) {
            rule = RuleNames.fromStack(stack, rules.ruleNames());
        }
        if (rule != null) {
            return rules.fileOf(rule) + ": rule \"" + rule + "\"";
        }
        String frame = RuleNames.userFrame(stack);
        return rules.sources().origin() + ": a rule condition" + (frame == null ? "" : " (in " + frame + ")");
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
        LIVE.remove(this);
        if (abandoned != null) {
            // its rule still runs on the evaluator thread: disposing under it would break more than it frees
            evaluator.shutdown();
            return;
        }
        evaluator.shutdown();
        session.dispose();
    }

    /** True when this session's rule is the one that called System.exit. */
    private boolean isCallingExit() {
        Thread t = evaluatorThread;
        if (!evaluating || abandoned != null || t == null) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("java.lang.Shutdown") || (e.getClassName().equals("java.lang.Runtime") && e.getMethodName().equals("exit"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A shutdown medic did not ask for, begun by a rule: the waiting call reports the rule, the
     * run ends as a rule failure, and the JVM halts with medic's exit code, not the rule's.
     */
    private static void onShutdown() {
        if (Exits.ownExit()) {
            return;
        }
        List<RuleSession> exiting = LIVE.stream().filter(RuleSession::isCallingExit).toList();
        if (exiting.isEmpty()) {
            return; // not a rule's doing (a hangup): the JVM ends as it always did
        }
        Exits.takeOver();
        exiting.forEach(s -> s.exitCalled = true);
        Exits.haltWithOwnCode(EXIT_WAIT, ExitCodes.BAD_INPUT);
    }
}
