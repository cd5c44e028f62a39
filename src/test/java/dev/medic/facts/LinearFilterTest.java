package dev.medic.facts;

import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The linear filter may pass a line the pattern does not match, never the other way round: every
 * line a pattern finds something in must pass its filter.
 */
class LinearFilterTest {
    private static LinearFilter filter(String regex) {
        LinearFilter f = LinearFilter.of(Pattern.compile(regex));
        assertNotNull(f, "no filter for " + regex);
        return f;
    }

    private static void passes(String regex, String line) {
        assertTrue(Pattern.compile(regex).matcher(line).find(), "the test's own premise: " + regex + " finds in " + line);
        assertTrue(filter(regex).mayMatch(line), regex + " must pass " + line);
    }

    private static void rejects(String regex, String line) {
        assertFalse(Pattern.compile(regex).matcher(line).find(), "the test's own premise: " + regex + " finds nothing in " + line);
        assertFalse(filter(regex).mayMatch(line), regex + " should reject " + line);
    }

    @Test
    void theNearMissesOfANanLossPatternAreRejectedAndItsMatchesPass() {
        String nanLoss = "(?i)loss['\"]?\\s*[:=]?\\s*['\"]?[-+]?nan\\b";
        rejects(nanLoss, "iter 1200: loss 2.9134, time 132.45ms, mfu 38.12% [nanoGPT]");
        rejects(nanLoss, "config: dataset=finance nan_guard=off oom_retries=0 loss=0.1234");
        passes(nanLoss, "{'loss': nan, 'grad_norm': nan}");
        passes(nanLoss, "step 12 LOSS=NaN lr 3e-4");
        passes(nanLoss, "train_loss: \"nan\"");
    }

    @Test
    void whatAnAutomatonCannotSayIsWidenedNotNarrowed() {
        // assertions become the empty string, back-references any text
        passes("(?i)attempted loss scale:\\s*([0-9.]+),\\s*reducing to\\s*\\1(?![\\d.])", "Attempted loss scale: 2.0, reducing to 2.0 now");
        passes("^(?!.*NCCL INFO).*cannot open shared object file", "libcudnn.so.8: cannot open shared object file: No such file");
        passes("(?<=x)y(?<!z)", "xy");
        passes("\\bnan\\s+nan\\s+nan\\b", "1/10 nan nan nan 0.1");
        passes("(?<name>ab)\\k<name>", "abab");
        // lazy and possessive quantifiers, long counts
        passes("a.*?b", "a--b");
        passes("a++b", "aab");
        passes("x{12}y", "xxxxxxxxxxxxy");
        passes("x{2,40}y", "xxy");
        // flags inline, scoped, and given to compile()
        passes("(?i:cuda) out of memory", "CUDA out of memory");
        passes("a(?i)b", "aB");
        assertTrue(LinearFilter.of(Pattern.compile("cuda error", Pattern.CASE_INSENSITIVE)).mayMatch("CUDA Error"));
        // escapes and classes
        passes("\\Qa.b\\E", "xa.by");
        passes("\\x41\\u0042\\0103\\t", "ABC\t");
        passes("[^\\d\\s]+:", "Error:");
        passes("[a-c[x-z]]q", "yq");
        passes("\\p{Lu}rror", "Error");
        passes("[]a]b", "]b");
        // '.' and a negated class take a character outside the BMP as one
        passes("a.b", "a\uD83D\uDE00b");
        passes("a[^x]b", "a\uD83D\uDE00b");
        passes("a\\Sb", "a\uD83D\uDE00b");
        // case folding of characters outside ASCII
        passes("(?i)tötet", "GETöTET");
    }

    @Test
    void aLineWithoutThePatternsTextIsRejected() {
        rejects("No space left on device", "no space issues on /ckpt (412 GiB free)");
        rejects("(?i)\\bCUDA out of memory", "cuda memory ok");
        rejects("Errno 28", "Errno 2");
    }

    @Test
    void patternsWithoutASafeWideningHaveNoFilter() {
        for (String r : List.of("(?x) a b # comment", "[a-z&&[^e]]x", "(?u)(?i)k", "[^\\p{L}]x", "(?U)\\w", "a\uD83D\uDE00")) {
            assertNull(LinearFilter.of(Pattern.compile(r)), r);
        }
        assertNull(LinearFilter.of(Pattern.compile("k", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
        // the regex then runs on every line, as before
        BudgetedRegex b = BudgetedRegex.filtered(Pattern.compile("[a-z&&[^e]]x"));
        assertFalse(b.hasFilter());
        assertNotNull(b.find("ax"));
    }

    @Test
    void aPrintableAsciiLineIsJudgedOnItsBytesAsOnItsText() {
        String nanLoss = "(?i)loss['\"]?\\s*[:=]?\\s*['\"]?[-+]?nan\\b";
        LinearFilter f = filter(nanLoss);
        for (String line : List.of("{'loss': nan}", "loss 0.12 nanoGPT", "", "nan", "LOSS=nan")) {
            byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.US_ASCII);
            assertEquals(f.mayMatch(line), f.mayMatchAscii(b, 2, line.length()), line);
        }
    }

    /**
     * Every catalog pattern against every line of every labelled log here: a line the pattern
     * finds something in passes the filter, as text and (when printable ASCII) as bytes.
     */
    @Test
    void noLineOfTheCorporaThatACatalogPatternMatchesIsRejected() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String dir : List.of("unseen", "unseen-2", "cases", "structure", "kills")) {
            try (Stream<Path> s = Files.walk(Fixtures.projectDir().resolve("src/test/resources").resolve(dir))) {
                for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".log")).toList()) {
                    lines.addAll(List.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\r\n|\r|\n")));
                }
            }
        }
        assertTrue(lines.size() > 4000, "corpus lines: " + lines.size());
        int matched = 0;
        int filtered = 0;
        for (Signature s : Fixtures.defaultCatalog().signatures()) {
            if (!s.hasPattern()) {
                continue;
            }
            Pattern p = s.getPattern();
            LinearFilter f = LinearFilter.of(p);
            assertNotNull(f, "a catalog pattern without a filter: " + p);
            for (String line : lines) {
                boolean found = p.matcher(line).find();
                boolean pass = f.mayMatch(line);
                assertTrue(!found || pass, p + " matches but its filter rejects: " + line);
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                if (line.chars().allMatch(c -> c >= 0x20 && c < 0x7F || c == '\t')) {
                    assertEquals(pass, f.mayMatchAscii(b, 0, b.length), line);
                }
                matched += found ? 1 : 0;
                filtered += pass ? 0 : 1;
            }
        }
        assertTrue(matched > 500, "matches: " + matched);
        assertTrue(filtered > matched * 10, "the filters reject most lines: " + filtered);
    }
}
