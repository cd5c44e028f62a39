package dev.medic.rules;

import dev.medic.ExitCodes;
import dev.medic.MedicException;

import java.util.List;

/** Rules that do not compile, throw, or never settle. Each problem is one {@code file:line: message} line. */
public final class RuleException extends MedicException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public RuleException(List<String> problems) {
        super(ExitCodes.BAD_INPUT, String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public RuleException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
