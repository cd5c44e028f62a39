package dev.medic.rules;

import dev.medic.util.SourceSet;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;

import java.util.Map;

/** A compiled set of rules: sessions are made from it, one per attempt. */
public final class RuleSet {
    private final SourceSet sources;
    private final KieContainer container;
    private final KieBase base;
    private final Map<String, String> ruleFiles;
    private final int ruleCount;

    RuleSet(SourceSet sources, KieContainer container, KieBase base, Map<String, String> ruleFiles, int ruleCount) {
        this.sources = sources;
        this.container = container;
        this.base = base;
        this.ruleFiles = Map.copyOf(ruleFiles);
        this.ruleCount = ruleCount;
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

    /** The file a rule is defined in, for error messages. */
    String fileOf(String ruleName) {
        return ruleFiles.getOrDefault(ruleName, sources.origin());
    }

    public RuleSession newSession(int firingLimit) {
        return new RuleSession(this, base.newKieSession(), firingLimit);
    }

    /** Releases the compiled classes; sessions made from it must be closed first. */
    public void dispose() {
        container.dispose();
    }
}
