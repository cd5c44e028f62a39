package dev.medic.logs;

import dev.medic.facts.PythonException;
import dev.medic.facts.Signature;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural half of screening: reads the Python exceptions out of an attempt's lines
 * ({@link Tracebacks}, one per stream) and adds the catalog's {@code exceptions:}/{@code errno:}
 * signatures that match one to the hits of the line that states it. The words of a line come
 * first: an exception adds its structural hits only where no literal signature spoke for that
 * line, except an entry that names frames ({@code frames:}, {@code raised_in:}), which knows where
 * the exception came from and so outweighs the words (a connection reset raised in
 * torch.distributed is NCCL's, not a download's). The source line a frame shows is code, not
 * output: no signature counts on it. Not thread-safe: one stream's lines arrive on one
 * thread, in order.
 */
public final class ExceptionReader {
    private final List<Signature> structural;
    private final Map<String, Tracebacks> streams = new ConcurrentHashMap<>();

    public ExceptionReader(List<Signature> signatures) {
        List<Signature> s = new ArrayList<>();
        for (Signature sig : signatures) {
            if (sig.isStructural()) {
                s.add(sig);
            }
        }
        this.structural = List.copyOf(s);
    }

    /** True when the catalog has no structural signature: then no line needs reading. */
    public boolean isEmpty() {
        return structural.isEmpty();
    }

    /**
     * The hits of a screened line: {@code literal} (what {@link Screen#match} found), with the
     * structural signatures of the exception this line states, if any.
     */
    public List<Signature> hits(List<Signature> literal, String text, String stream, long lineNo) {
        if (structural.isEmpty()) {
            return literal;
        }
        Tracebacks tracebacks = streams.computeIfAbsent(stream == null ? "" : stream, k -> new Tracebacks());
        PythonException e;
        try {
            e = tracebacks.line(lineNo, text);
        } catch (StackOverflowError tooDeep) {
            // java.util.regex recurses; a line it cannot read is left to the literal signatures
            return literal;
        }
        if (tracebacks.wasSourceLine()) {
            // `raise ConnectionResetError(...)` in a frame is source code quoting words, not a failure
            return List.of();
        }
        if (e == null) {
            return literal;
        }
        return combine(literal, matching(e));
    }

    /** The structural signatures that {@code e} matches, in catalog order. */
    public List<Signature> matching(PythonException e) {
        List<Signature> out = new ArrayList<>(2);
        for (Signature s : structural) {
            if (s.getException().matches(e)) {
                out.add(s);
            }
        }
        return out;
    }

    static List<Signature> combine(List<Signature> literal, List<Signature> found) {
        if (found.isEmpty()) {
            return literal;
        }
        boolean located = found.stream().anyMatch(s -> s.getException().namesFrames());
        boolean wordsSpoke = literal.stream().anyMatch(s -> !s.isByRule());
        List<Signature> out = new ArrayList<>(literal.size() + found.size());
        if (located) {
            // frames say where the exception came from: the words of other failures on this line yield
            for (Signature s : literal) {
                if (s.isByRule() || found.stream().anyMatch(f -> f.getException().namesFrames()
                        && f.getFailureId().equals(s.getFailureId()))) {
                    out.add(s);
                }
            }
            for (Signature f : found) {
                if (f.getException().namesFrames()) {
                    out.add(f);
                }
            }
            return out;
        }
        out.addAll(literal);
        if (!wordsSpoke) {
            out.addAll(found);
        }
        return out;
    }
}
