package dev.medic.rules;

/**
 * Medic was asked to stop while a rule was still running: the rule is left behind (a Java thread
 * cannot be stopped) and the caller ends the run as interrupted. The message names the rule.
 */
public final class RuleInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RuleInterrupted(String runningRule) {
        super(runningRule, null, false, false);
    }
}
