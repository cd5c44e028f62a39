package dev.medic.rules;

import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code medic check} can see in DRL text of rules that would hang or end medic: calls of
 * System.exit, Runtime exit/halt and Thread.sleep, and loops without a bound. Text only: a loop
 * whose condition never turns false is not found.
 */
public final class RuleWarnings {
    private static final Pattern RULE = Pattern.compile("^\\s*rule\\s+(\"([^\"]+)\"|'([^']+)'|(\\S+))");
    private static final Pattern FUNCTION = Pattern.compile("^\\s*function\\s+[\\w.<>\\[\\]]+\\s+(\\w+)");
    private static final Pattern END = Pattern.compile("^\\s*end\\s*$");
    private static final List<Check> CHECKS = List.of(
            new Check(Pattern.compile("\\bSystem\\s*\\.\\s*exit\\s*\\("), "calls System.exit: the run would end with exit 2"),
            new Check(Pattern.compile("getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*halt\\s*\\("), "calls Runtime.halt: medic would end at once, its child left running"),
            new Check(Pattern.compile("getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*exit\\s*\\("), "calls Runtime.exit: the run would end with exit 2"),
            new Check(Pattern.compile("\\bThread\\s*\\.\\s*sleep\\s*\\("), "sleeps: rules must not wait, the rule timeout would end the run"),
            new Check(Pattern.compile("\\bwhile\\s*\\(\\s*true\\s*\\)"), "loops without a bound (while (true)): the rule timeout would end the run"),
            new Check(Pattern.compile("\\bfor\\s*\\(\\s*;\\s*;\\s*\\)"), "loops without a bound (for (;;)): the rule timeout would end the run"));

    private record Check(Pattern pattern, String says) {
    }

    private RuleWarnings() {
    }

    /** One {@code file:line: rule "name" ...} line per finding, in file order. */
    public static List<String> of(SourceSet sources) {
        List<String> out = new ArrayList<>();
        for (SourceFile f : sources.files()) {
            String where = null;
            boolean inComment = false;
            String[] lines = f.content().split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                String code = lines[i];
                if (inComment) {
                    int close = code.indexOf("*/");
                    if (close < 0) {
                        continue;
                    }
                    code = code.substring(close + 2);
                    inComment = false;
                }
                code = code.replaceAll("/\\*.*?\\*/", " ");
                int open = code.indexOf("/*");
                if (open >= 0) {
                    code = code.substring(0, open);
                    inComment = true;
                }
                int slash = code.indexOf("//");
                if (slash >= 0) {
                    code = code.substring(0, slash);
                }
                Matcher rule = RULE.matcher(code);
                Matcher function = FUNCTION.matcher(code);
                if (rule.find()) {
                    String name = rule.group(2) != null ? rule.group(2) : rule.group(3) != null ? rule.group(3) : rule.group(4);
                    where = "rule \"" + name + "\"";
                } else if (function.find()) {
                    where = "function " + function.group(1) + "()";
                }
                for (Check c : CHECKS) {
                    if (c.pattern().matcher(code).find()) {
                        out.add(f.displayName() + ":" + (i + 1) + ": " + (where == null ? "" : where + " ") + c.says());
                    }
                }
                if (END.matcher(code).matches()) {
                    where = null;
                }
            }
        }
        return out;
    }
}
