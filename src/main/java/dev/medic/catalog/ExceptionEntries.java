package dev.medic.catalog;

import dev.medic.facts.BudgetedRegex;
import dev.medic.facts.ExceptionMatch;
import dev.medic.facts.Signature;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A failure's {@code exceptions:} list and {@code errno:} list, read into structural
 * {@link Signature}s. An exceptions entry:
 * <pre>
 * - type: [ConnectionResetError, ConnectionRefusedError]   # one name or a list
 *   errno: [104]                                           # one number or a list
 *   message: 'regex'                                       # found in the exception's message
 *   frames: [torch/distributed/]                           # a fragment of any frame's file path
 *   raised_in: [torch/distributed/]                        # ... of the innermost frame's
 *   when: failed                                           # as for signatures
 *   name: rendezvous_reset                                 # for rules and messages
 * </pre>
 * {@code errno: [28, 122]} beside it is short for one entry with only those numbers.
 */
final class ExceptionEntries {
    private static final Set<String> KEYS = Set.of("type", "errno", "message", "frames", "raised_in", "when", "name");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)*");
    private static final int MAX_ERRNO = 4095;

    private ExceptionEntries() {
    }

    static List<Signature> read(String failureId, YamlNode failure, boolean entryWhenFailed) {
        List<Signature> out = new ArrayList<>();
        YamlNode list = failure.get("exceptions");
        if (list != null) {
            for (YamlNode e : list.list()) {
                out.add(entry(failureId, out.size(), e, entryWhenFailed));
            }
        }
        YamlNode errno = failure.get("errno");
        if (errno != null) {
            ExceptionMatch m = new ExceptionMatch(List.of(), errnos(errno), null, List.of(), List.of());
            out.add(Signature.structural(failureId, out.size(), "errno", m, entryWhenFailed));
        }
        return out;
    }

    private static Signature entry(String failureId, int index, YamlNode e, boolean entryWhenFailed) {
        e.requireObject().checkKeys(KEYS);
        List<String> types = new ArrayList<>();
        for (YamlNode t : oneOrMany(e.get("type"))) {
            String type = string(t);
            if (!TYPE.matcher(type).matches()) {
                throw t.fail("'" + type + "' is not a Python exception type (a name or dotted.name)");
            }
            if (type.endsWith("Warning")) {
                throw t.fail("'" + type + "' is a warning: it is printed, not raised, and never ends a traceback");
            }
            types.add(type);
        }
        Set<Integer> errno = e.get("errno") == null ? Set.of() : errnos(e.get("errno"));
        if (e.get("message") != null) {
            string(e.get("message"));
        }
        BudgetedRegex message = e.get("message") == null ? null : new BudgetedRegex(FailureReader.regex(e.get("message")));
        List<String> frames = fragments(e.get("frames"));
        List<String> raisedIn = fragments(e.get("raised_in"));
        if (types.isEmpty() && errno.isEmpty() && message == null) {
            throw e.fail("an exceptions entry needs a type, an errno or a message");
        }
        boolean whenFailed = e.get("when") == null ? entryWhenFailed : FailureReader.whenFailed(e.get("when"));
        String name = e.optText("name", "");
        if (!name.isEmpty() && !FailureReader.ID.matcher(name).matches()) {
            throw e.get("name").fail("names are lower_snake_case");
        }
        return Signature.structural(failureId, index, name, new ExceptionMatch(types, errno, message, frames, raisedIn),
                whenFailed);
    }

    private static Set<Integer> errnos(YamlNode n) {
        Set<Integer> out = new LinkedHashSet<>();
        for (YamlNode x : oneOrMany(n)) {
            out.add(x.intValue(1, MAX_ERRNO));
        }
        return out;
    }

    private static List<String> fragments(YamlNode n) {
        List<String> out = new ArrayList<>();
        for (YamlNode x : oneOrMany(n)) {
            if (string(x).isBlank()) {
                throw x.fail("must be part of a file path, not empty");
            }
            out.add(x.text().replace('\\', '/'));
        }
        return out;
    }

    /** One value or a non-empty list of them: an empty list would be no condition at all. */
    private static List<YamlNode> oneOrMany(YamlNode n) {
        if (n == null) {
            return List.of();
        }
        if (n.node().isArray() && n.node().isEmpty()) {
            throw n.fail("must not be an empty list (leave it out to set no condition)");
        }
        return n.node().isArray() ? n.list() : List.of(n);
    }

    private static String string(YamlNode n) {
        if (!n.node().isTextual()) {
            throw n.fail("must be a string");
        }
        return n.text();
    }
}
