package dev.medic.catalog;

import dev.medic.facts.CatalogEntry;
import dev.medic.facts.LadderStep;
import dev.medic.facts.Signature;
import dev.medic.util.Signals;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** One entry of a catalog's {@code failures:} list: its signatures, ladder and the rest, checked. */
final class FailureReader {
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> FAILURE = Set.of("id", "description", "retryable", "consequence_of", "stop_after",
            "when", "signatures", "exceptions", "errno", "ladder", "escalation");
    private static final Set<String> SIGNATURE = Set.of("pattern", "stream", "exit_codes", "signal", "anchors", "by_rule", "when", "name");
    private static final Set<String> STEP = Set.of("fix", "params", "budget");
    /** Longest pattern accepted; longer ones are almost always a mistake and slow every line. */
    private static final int MAX_PATTERN = 2000;

    private FailureReader() {
    }

    static CatalogEntry entry(YamlNode f) {
        f.requireObject();
        String id = f.child("id").text();
        if (!ID.matcher(id).matches()) {
            throw f.child("id").fail("'" + id + "' is not a valid id (lower_snake_case, at most 64 characters)");
        }
        YamlNode n = f.renamed(id);
        n.checkKeys(FAILURE);
        String description = n.optText("description", id);
        boolean retryable = n.get("retryable") == null || n.get("retryable").bool();
        List<String> consequenceOf = new ArrayList<>();
        YamlNode cons = n.get("consequence_of");
        if (cons != null) {
            for (YamlNode c : cons.list()) {
                consequenceOf.add(c.text());
            }
        }
        int stopAfter = n.get("stop_after") == null ? 0 : n.get("stop_after").intValue(0, 1_000_000);
        boolean whenFailed = n.get("when") != null && whenFailed(n.get("when"));
        List<Signature> signatures = new ArrayList<>();
        YamlNode sigs = n.get("signatures");
        if (sigs != null) {
            int i = 0;
            for (YamlNode s : sigs.list()) {
                signatures.add(signature(id, i++, s, whenFailed));
            }
        }
        signatures.addAll(ExceptionEntries.read(id, n, whenFailed));
        List<LadderStep> ladder = new ArrayList<>();
        YamlNode lad = n.get("ladder");
        if (lad != null) {
            for (YamlNode s : lad.list()) {
                ladder.add(step(s));
            }
        }
        String escalation = n.optText("escalation", "");
        return new CatalogEntry(id, description, retryable, consequenceOf, stopAfter, signatures, ladder, escalation,
                n.file());
    }

    /** {@code when: failed}: lines count only if the attempt failed; {@code when: any}: whatever the exit. */
    static boolean whenFailed(YamlNode when) {
        String w = when.text();
        if (!w.equals("failed") && !w.equals("any")) {
            throw when.fail("must be failed (lines count only if the attempt failed) or any");
        }
        return w.equals("failed");
    }

    private static Signature signature(String failureId, int index, YamlNode s, boolean entryWhenFailed) {
        s.requireObject().checkKeys(SIGNATURE);
        Pattern pattern = null;
        List<String> anchors = List.of();
        YamlNode p = s.get("pattern");
        if (p != null) {
            pattern = regex(p);
            anchors = s.get("anchors") != null ? anchors(s.get("anchors")) : Anchors.derive(p.text());
        } else if (s.get("anchors") != null) {
            throw s.get("anchors").fail("anchors need a pattern");
        }
        String stream = null;
        YamlNode st = s.get("stream");
        if (st != null) {
            stream = st.text();
            if (stream.equals("any")) {
                stream = null;
            } else if (!stream.equals("stdout") && !stream.equals("stderr")) {
                throw st.fail("must be stdout, stderr or any");
            }
        }
        Set<Integer> codes = new LinkedHashSet<>();
        YamlNode ec = s.get("exit_codes");
        if (ec != null) {
            for (YamlNode c : ec.list()) {
                codes.add(c.intValue(-255, 255));
            }
        }
        String signal = null;
        YamlNode sg = s.get("signal");
        if (sg != null) {
            signal = sg.text().toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "");
            if (!Signals.isKnownName(signal)) {
                throw sg.fail("unknown signal '" + sg.text() + "'");
            }
        }
        if (pattern == null && codes.isEmpty() && signal == null) {
            throw s.fail("a signature needs a pattern, exit_codes or a signal");
        }
        // without a pattern, by_rule hands the attempt's end (its exit codes or signal) to the rules instead of a line
        boolean byRule = s.get("by_rule") != null && s.get("by_rule").bool();
        boolean whenFailed = s.get("when") == null ? entryWhenFailed : whenFailed(s.get("when"));
        String name = s.optText("name", "");
        if (!name.isEmpty() && !ID.matcher(name).matches()) {
            throw s.get("name").fail("signature names are lower_snake_case");
        }
        return new Signature(failureId, index, name, pattern, stream, codes, signal, anchors, byRule, whenFailed);
    }

    /** A regular expression of 1 to {@link #MAX_PATTERN} characters. */
    static Pattern regex(YamlNode p) {
        String text = p.text();
        if (text.isEmpty() || text.length() > MAX_PATTERN) {
            throw p.fail("must be a regular expression of 1 to " + MAX_PATTERN + " characters");
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw p.fail("not a valid regular expression: " + YamlReader.firstLine(e.getDescription()) + " near index " + e.getIndex());
        }
    }

    /** Literals given for screening, in lower case. */
    static List<String> anchors(YamlNode a) {
        List<String> given = new ArrayList<>();
        for (YamlNode x : a.list()) {
            String lit = x.text();
            if (lit.isEmpty()) {
                throw x.fail("must not be empty");
            }
            given.add(lit.toLowerCase(java.util.Locale.ROOT));
        }
        return given;
    }

    private static LadderStep step(YamlNode s) {
        if (s.node().isTextual()) {
            String fix = s.text();
            checkFixId(s, fix);
            return new LadderStep(fix, Map.of(), 1);
        }
        s.requireObject().checkKeys(STEP);
        String fix = s.child("fix").text();
        checkFixId(s.child("fix"), fix);
        int budget = 1;
        YamlNode b = s.get("budget");
        if (b != null) {
            if (!b.node().canConvertToInt() || !b.node().isIntegralNumber() || b.node().intValue() < 1) {
                throw b.fail("must be a positive integer");
            }
            budget = b.node().intValue();
        }
        Map<String, Object> params = Map.of();
        YamlNode p = s.get("params");
        if (p != null) {
            p.requireObject();
            FixSettingsTypes.checkKeys(fix, p);
            params = p.toMap();
        }
        return new LadderStep(fix, params, budget);
    }

    private static void checkFixId(YamlNode where, String fix) {
        if (!ID.matcher(fix).matches()) {
            throw where.fail("'" + fix + "' is not a valid fix id (lower_snake_case)");
        }
    }

}
