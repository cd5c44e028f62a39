package dev.medic.fix;

import dev.medic.facts.FixDecision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The executors medic has, by fix id. {@code escalate} is not an executor: it ends the run. */
public final class FixRegistry {
    private final Map<String, FixExecutor> executors = new LinkedHashMap<>();

    public static FixRegistry standard() {
        FixRegistry r = new FixRegistry();
        r.add(new ReduceBatchSize());
        r.add(new Retry());
        r.add(new GradientClipping());
        r.add(new ScaleLearningRate());
        r.add(new ReduceWorkers());
        r.add(new CpuFallback());
        r.add(new SetEnv());
        r.add(new ExpandableSegments());
        r.add(new ExcludeGpu());
        r.add(new PipInstall());
        r.add(new RetryBackoff());
        r.add(new ResumeFromCheckpoint());
        r.add(new RaiseShmSize());
        return r;
    }

    public FixRegistry add(FixExecutor e) {
        executors.put(e.id(), e);
        return this;
    }

    /** The executor, or null when medic has none for this id. */
    public FixExecutor get(String fixId) {
        return executors.get(fixId);
    }

    public boolean knows(String fixId) {
        return FixDecision.ESCALATE.equals(fixId) || executors.containsKey(fixId);
    }

    /** Every executor, in the order they were added. */
    public java.util.Collection<FixExecutor> executors() {
        return java.util.List.copyOf(executors.values());
    }

    public Set<String> ids() {
        Set<String> ids = new TreeSet<>(executors.keySet());
        ids.add(FixDecision.ESCALATE);
        return ids;
    }
}
