package dev.medic.triage;

import dev.medic.logs.Ansi;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What triage promises of a masked line, on lines of any kind: its patterns find the line they
 * came from; the general pattern finds every line with the same masked text (so a group's draft
 * finds each of its lines); and a draft made from any line loads with the catalog loader and finds
 * that line.
 */
class MaskedLinePropertyTest {
    /** Tokens of error lines: words, values of every masked kind, punctuation, regex and YAML specials, whitespace. */
    @Provide
    Arbitrary<String> token() {
        Arbitrary<String> word = Arbitraries.of("RuntimeError:", "KeyError", "torch.cuda", "shape", "at", "in", "rank", "cuda:", "x",
                "can't", "float32", "ERROR", "failed", "Error", "line", "E0119", "it/s");
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(-100000, 100000).map(String::valueOf),
                Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf), Arbitraries.of("1e-05", "2.5E+3", "128x3136", "1.2.3"));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc/._-").ofMinLength(1).ofMaxLength(12).map(s -> "/" + s),
                Arbitraries.strings().alpha().numeric().withChars(" /.").ofMaxLength(10).map(s -> "'" + s + "'"),
                Arbitraries.strings().alpha().withChars(" '").ofMaxLength(10).map(s -> "\"" + s + "\""),
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(16).map(s -> "0x" + s),
                Arbitraries.of("2026-12-04T16:59:29.021Z", "16:59:29,123", "10.0.0.1:29500", "20261204-165928-198c",
                        "123e4567-e89b-12d3-a456-426614174000", "9fceb02d0ae598e9", "C:\\Users\\me\\x.py", "data/train/a.csv", "train.py"));
        Arbitrary<String> special = Arbitraries.of("[", "]", "(", ")", "{", "}", ".", "*", "+", "?", "^", "$", "|", "\\", "#", ":", ",",
                "'", "\"", "`", "-", "\u2028", "\uFEFF", "\uFFFF", "é", "😀", "\ud800");
        Arbitrary<String> space = Arbitraries.of(" ", "  ", "\t", " \t ");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, word), net.jqwik.api.Tuple.of(3, number), net.jqwik.api.Tuple.of(3, value),
                net.jqwik.api.Tuple.of(2, special), net.jqwik.api.Tuple.of(5, space),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)));
    }

    @Provide
    Arbitrary<String> line() {
        return token().list().ofMaxSize(30).map(l -> String.join("", l)).map(MaskedLinePropertyTest::asTriageReadsIt)
                .filter(s -> !s.isEmpty());
    }

    /** A line as triage gets it: terminal controls removed (as the supervisor does), trimmed. */
    private static String asTriageReadsIt(String s) {
        return Ansi.strip(s).replace("\n", " ").replace("\r", " ").strip();
    }

    /** The same line with each value replaced by another of its kind, token by token. */
    @Provide
    Arbitrary<List<String>> sameShape() {
        Arbitrary<String> number = Arbitraries.integers().between(0, 1_000_000).map(String::valueOf);
        Arbitrary<String> path = Arbitraries.strings().withChars("abcxyz_").ofMinLength(1).ofMaxLength(8).list().ofMinSize(1).ofMaxSize(4)
                .map(parts -> "/" + String.join("/", parts));
        Arbitrary<String> quoted = Arbitraries.strings().alpha().numeric().withChars(" ./").ofMaxLength(12).map(s -> "'" + s + "'");
        Arbitrary<String> spaces = Arbitraries.of(" ", "  ", "\t");
        return Combinators.combine(number.list().ofSize(4), path.list().ofSize(2), quoted.list().ofSize(2), spaces.list().ofSize(6))
                .as((n, p, q, w) -> List.of(
                        "RuntimeError:" + w.get(0) + "shape [" + n.get(0) + "," + w.get(1) + n.get(1) + "] at " + p.get(0) + " key " + q.get(0),
                        "RuntimeError:" + w.get(2) + "shape [" + n.get(2) + "," + w.get(3) + n.get(3) + "] at " + p.get(1) + " key " + q.get(1)));
    }

    @Property(tries = 500)
    void bothPatternsFindTheLineTheyCameFrom(@ForAll("line") String line) {
        MaskedLine m = MaskedLine.of(line);
        for (boolean plain : List.of(true, false)) {
            String regex = m.regex(0, 100_000, plain);
            assertTrue(Pattern.compile(regex).matcher(line).find(), regex + " / " + line);
        }
    }

    @Property(tries = 300)
    void theGeneralPatternFindsEveryLineWithTheSameMaskedText(@ForAll("sameShape") List<String> lines) {
        MaskedLine a = MaskedLine.of(lines.get(0));
        MaskedLine b = MaskedLine.of(lines.get(1));
        boolean same = a.text().equals(b.text());
        Statistics.collect(same ? "same masked text" : "different");
        if (same) {
            assertTrue(Pattern.compile(a.regex(0, 100_000, false)).matcher(lines.get(1)).find(), a.text() + " / " + lines.get(1));
        }
    }

    @Property(tries = 200)
    void aDraftFromAnyLineLoadsAndFindsIt(@ForAll("line") String line) {
        CatalogDraft d = CatalogDraft.forLine(MaskedLine.of(line), List.of(line), Set.of(), List.of());
        assertNull(d.check(List.of(line)), d.yaml());
    }
}
