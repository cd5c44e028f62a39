package dev.medic.facts;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** On lines made of the patterns' own characters, a pattern never finds something its filter rejected. */
class LinearFilterPropertyTest {
    private static final List<String> PATTERNS = List.of(
            "(?i)loss['\"]?\\s*[:=]?\\s*['\"]?[-+]?nan\\b", "\\bnan\\s+nan\\b", "a(?!b)", "(?<=a)b+", "(a|b)\\1",
            "a.{2,12}b", "[^ab]{2}a", "(?i)AB", "a(?i)b", "a*?b", "(?:ab)++a", "\\Sa\\s", "\\Wb", "[\\w:]{3}", "x?y{0,3}z?",
            "^ab|ba$", "a\\b.", "[a-b&&[^b]]a", "(?i:x)y", "\\u00e9a", "a.b", "a[^x]b");

    private static final java.util.Map<Pattern, LinearFilter> FILTERS = new java.util.LinkedHashMap<>();

    static {
        for (String r : PATTERNS) {
            Pattern p = Pattern.compile(r);
            FILTERS.put(p, LinearFilter.of(p));
        }
    }

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.of("a", "b", "A", "B", "x", "y", "z", " ", "\t", ":", "=", "'", "nan", "NaN", "loss", "é", "É",
                "\uD83D\uDE00", "-", "_").list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void aPatternNeverFindsSomethingInALineItsFilterRejects(@ForAll("lines") String line) {
        for (var e : FILTERS.entrySet()) {
            Pattern p = e.getKey();
            LinearFilter f = e.getValue();
            if (f != null && p.matcher(line).find()) {
                assertTrue(f.mayMatch(line), p + " finds in \"" + line + "\" but its filter rejects it");
            }
        }
    }
}
