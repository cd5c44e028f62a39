package dev.medic.facts;

import java.util.List;
import java.util.Set;

/**
 * A catalog {@code exceptions:} entry (or an {@code errno:} list): which Python exceptions are
 * evidence of a failure. Every condition given must hold; a type without a dot names the last part
 * of the exception's type ({@code OSError} matches {@code builtins.OSError}), a dotted one the type
 * or its dotted tail. {@code frames} and {@code raisedIn} are fragments of frame file paths: any
 * frame of the block, or the innermost one.
 */
public record ExceptionMatch(List<String> types, Set<Integer> errno, BudgetedRegex message, List<String> frames,
                             List<String> raisedIn) {
    public ExceptionMatch {
        types = List.copyOf(types);
        errno = Set.copyOf(errno);
        frames = List.copyOf(frames);
        raisedIn = List.copyOf(raisedIn);
    }

    public boolean matches(PythonException e) {
        return typeMatches(e) && (errno.isEmpty() || e.errno() != null && errno.contains(e.errno()))
                && (message == null || message.find(e.message()) != null)
                && (frames.isEmpty() || e.frames().stream().anyMatch(f -> containsAny(f, frames)))
                && (raisedIn.isEmpty() || containsAny(e.innermostFrame(), raisedIn));
    }

    /** True when the entry names where the exception came from: it then outweighs the words of the line. */
    public boolean namesFrames() {
        return !frames.isEmpty() || !raisedIn.isEmpty();
    }

    private boolean typeMatches(PythonException e) {
        if (types.isEmpty()) {
            return true;
        }
        for (String t : types) {
            if (t.indexOf('.') < 0 ? t.equals(e.simpleType()) : e.type().equals(t) || e.type().endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAny(String path, List<String> fragments) {
        String p = path.replace('\\', '/');
        for (String f : fragments) {
            if (p.contains(f)) {
                return true;
            }
        }
        return false;
    }
}
