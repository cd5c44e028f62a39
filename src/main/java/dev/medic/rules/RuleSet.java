package dev.medic.rules;

import dev.medic.util.SourceSet;
import org.kie.api.KieBase;

import java.util.Map;

/** A compiled set of rules: sessions are made from it, one per attempt. */
public final class RuleSet {
    private final SourceSet sources;
    /** Releases the compiled classes (a container's), or nothing for the shipped set. */
    private final Runnable release;
    private final KieBase base;
    private final Map<String, String> ruleFiles;
    private final int ruleCount;
    private final boolean prebuilt;
    private volatile boolean leftBehind;

    RuleSet(SourceSet sources, Runnable release, KieBase base, Map<String, String> ruleFiles, int ruleCount, boolean prebuilt) {
        this.sources = sources;
        this.release = release;
        this.base = base;
        this.ruleFiles = Map.copyOf(ruleFiles);
        this.ruleCount = ruleCount;
        this.prebuilt = prebuilt;
    }

    public SourceSet sources() {
        return sources;
    }

    public String digest() {
        return sources.digest();
    }

    public int ruleCount() {
        return ruleCount;
    }

    /** True when these are the shipped rules, compiled when medic was built (see {@link ShippedRules}). */
    public boolean prebuilt() {
        return prebuilt;
    }

    /** The file a rule is defined in, for error messages. */
    String fileOf(String ruleName) {
        return ruleFiles.getOrDefault(ruleName, sources.origin());
    }

    java.util.Set<String> ruleNames() {
        return ruleFiles.keySet();
    }

    public RuleSession newSession(int firingLimit) {
        return newSession(firingLimit, RuleLimits.defaults());
    }

    public RuleSession newSession(int firingLimit, RuleLimits limits) {
        return new RuleSession(this, base.newKieSession(), firingLimit, limits);
    }

    /** A session of this set was given up with a rule still running in it. */
    void leftBehind() {
        leftBehind = true;
    }

    /** Releases the compiled classes; sessions made from it must be closed first. */
    public void dispose() {
        if (!leftBehind) {
            // a rule left running still uses the classes: they go with the JVM
            release.run();
        }
    }
}
