package dev.medic.rules;

import java.util.Collection;

/**
 * Names a rule from a stack trace. Drools compiles a rule's {@code eval} and consequence into a
 * class {@code Rule_<name>N...} of the DRL's package, the name escaped ({@code ' '} as {@code _},
 * other characters that Java does not allow as {@code $u<code>$}).
 */
final class RuleNames {
    private static final String[] ENGINE = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "org.drools.", "org.kie.", "org.mvel2.",
            "dev.medic."};

    private RuleNames() {
    }

    /** The rule whose generated class is nearest the top of {@code stack}, or null. */
    static String fromStack(StackTraceElement[] stack, Collection<String> ruleNames) {
        for (StackTraceElement e : stack) {
            String cls = e.getClassName();
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            if (!simple.startsWith("Rule_")) {
                continue;
            }
            String best = null;
            for (String name : ruleNames) {
                String prefix = "Rule_" + escape(name);
                if (simple.startsWith(prefix) && simple.length() > prefix.length() && Character.isDigit(simple.charAt(prefix.length()))
                        && (best == null || name.length() > best.length())) {
                    best = name;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /** The topmost frame of code from a DRL (a function a condition calls), as {@code Class.method}, or null. */
    static String userFrame(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            boolean engine = false;
            for (String p : ENGINE) {
                engine |= e.getClassName().startsWith(p);
            }
            if (!engine) {
                return e.getClassName() + "." + e.getMethodName();
            }
        }
        return null;
    }

    static String escape(String ruleName) {
        StringBuilder b = new StringBuilder();
        ruleName.codePoints().forEach(c -> {
            if (c == ' ') {
                b.append('_');
            } else if (Character.isJavaIdentifierPart(c) && c != '$') {
                b.appendCodePoint(c);
            } else {
                b.append("$u").append(c).append('$');
            }
        });
        return b.toString();
    }
}
