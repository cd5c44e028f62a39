package dev.medic.progress;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressRegexTest {
    private static Progress read(String regex, String unit, String line) {
        ProgressPattern p = new ProgressPattern("test", ProgressRegex.of(regex), List.of(), unit, null);
        return new ProgressParser(List.of(p), List.of()).parse(line);
    }

    private static String error(String regex) {
        return assertThrows(IllegalArgumentException.class, () -> ProgressRegex.of(regex)).getMessage();
    }

    @Test
    void numbersAreReadAsTrainersPrintThem() {
        String regex = "loss (?<loss>{num})";
        for (String[] c : new String[][] {{"4.1E+00", "4.1"}, {"3e-4", "3e-4"}, {"-0.5", "-0.5"}, {".25", "0.25"}, {"7", "7"},
                {"nan", "nan"}, {"NaN", "nan"}, {"inf", "inf"}, {"-inf", "-inf"}, {"Infinity", "inf"}}) {
            Fields.assertProgress("loss=" + c[1], read(regex, null, "loss " + c[0]), c[0]);
        }
        assertNull(read(regex, null, "loss info"), "a word that starts like inf is not a number");
    }

    @Test
    void wholeNumbersMustBeWhole() {
        Fields.assertProgress("step=12", read("step (?<step>{num})", null, "step 12"), "12");
        Fields.assertProgress("step=1000", read("step (?<step>{num})", null, "step 1e3"), "1e3");
        assertNull(read("step (?<step>{num})", null, "step 12.5"), "a fractional step is dropped, and nothing else is known");
        assertNull(read("step (?<step>{num})", null, "step 99999999999999999999"), "too large for a step");
    }

    @Test
    void groupsMayBeNamedTheCatalogWayOrTheJavaWay() {
        Fields.assertProgress("step=3 total_steps=9 epoch=1 total_epochs=4",
                read("(?<step>{int})/(?<total_steps>{int}) e(?<epoch>{int})/(?<totalEpochs>{int})", null, "3/9 e1/4"), "names");
    }

    @Test
    void aGroupMayStandInTwoAlternativesAndTheOneThatMatchedCounts() {
        String regex = "(?:(?<throughput>{num}) ?(?<unit>tok/s)|(?<unit>tok/s)=(?<throughput>{num}))";
        Fields.assertProgress("throughput=12.5 throughput_unit=tok/s", read(regex, null, "at 12.5 tok/s"), "first");
        Fields.assertProgress("throughput=41233 throughput_unit=tok/s", read(regex, null, "tok/s=41233"), "second");
    }

    @Test
    void aFixedUnitGoesWithTheRateOnly() {
        Fields.assertProgress("step=4 throughput=250 throughput_unit=ms/it", read("iter (?<step>{int}) (?:(?<throughput>{num})ms)?", "ms/it", "iter 4 250ms"), "rate");
        Fields.assertProgress("step=4", read("iter (?<step>{int}) ?(?:(?<throughput>{num})ms)?", "ms/it", "iter 4"), "no rate, no unit");
    }

    @Test
    void placeholdersAndGroupNamesAreLeftAloneInClassesAndQuotes() {
        String source = "[{num}](?<step>\\d+)\\Q{int}(?<x>\\E";
        ProgressRegex r = ProgressRegex.of(source);
        assertEquals(source, r.pattern().pattern(), "nothing in a class or a quote is translated");
        assertEquals(List.of("step"), List.copyOf(r.groups().keySet()));
        assertTrue(r.pattern().matcher("n5{int}(?<x>").find());
        assertTrue(ProgressRegex.of("a (?<step>{int})").pattern().matcher("a 12").matches(), "outside them it is");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertTrue(error("step (?<step>\\d+").startsWith("not a valid regular expression: Unclosed group near index"), error("step (?<step>\\d+"));
        assertTrue(error("loss (?<loss>{num}").startsWith("not a valid regular expression: Unclosed group"), "no index into the expanded text");
        assertEquals("unknown group (?<steps>): a progress pattern captures only step, total_steps, epoch, total_epochs, loss, lr, throughput, unit",
                error("(?<steps>\\d+)"));
        assertEquals("captures nothing: name at least one group, (?<step>...), of step, total_steps, epoch, total_epochs, loss, lr, throughput, unit",
                error("step \\d+"));
        assertEquals("captures (?<unit>...) but no (?<throughput>...) for it to be the unit of", error("(?<step>\\d+) (?<unit>it/s)"));
        assertEquals("must be a regular expression of 1 to 2000 characters", error(""));
    }

    @Test
    void theUnitAndTheRegexMustAgree() {
        ProgressRegex rate = ProgressRegex.of("(?<throughput>{num}) (?<unit>\\S+)");
        assertEquals("the regex captures (?<unit>...) already: give one or the other",
                assertThrows(IllegalArgumentException.class, () -> new ProgressPattern("p", rate, List.of(), "it/s", null)).getMessage());
        ProgressRegex noRate = ProgressRegex.of("step (?<step>{int})");
        assertEquals("the regex captures no (?<throughput>...) for this to be the unit of",
                assertThrows(IllegalArgumentException.class, () -> new ProgressPattern("p", noRate, List.of(), "it/s", null)).getMessage());
        ProgressRegex bare = ProgressRegex.of("(?<throughput>{num}) per second");
        assertEquals("is required when the regex captures (?<throughput>...) and no (?<unit>...)",
                assertThrows(IllegalArgumentException.class, () -> new ProgressPattern("p", bare, List.of(), null, null)).getMessage());
    }

    @Test
    void unlessRulesALineOutForItsPatternOnly() {
        ProgressPattern guarded = new ProgressPattern("guarded", ProgressRegex.of("step (?<step>{int})"), List.of("step"), null,
                new LineFilter("unless", Pattern.compile("(?i)warn"), List.of("warn")));
        ProgressPattern fallback = new ProgressPattern("fallback", ProgressRegex.of("loss (?<loss>{num})"), List.of("loss"), null, null);
        ProgressParser parser = new ProgressParser(List.of(guarded, fallback), List.of());
        Fields.assertProgress("step=3", parser.parse("step 3 loss 0.5"), "the first pattern");
        Fields.assertProgress("loss=0.5", parser.parse("Warning: step 3 loss 0.5"), "the guarded pattern is ruled out, the next one reads");
        assertNull(new ProgressParser(List.of(guarded), List.of()).parse("UserWarning: step 3"));
    }

    @Test
    void ignoreRulesALineOutForEveryPattern() {
        ProgressPattern p = new ProgressPattern("p", ProgressRegex.of("(?<step>{int})/(?<total_steps>{int})"), List.of("/"), null, null);
        ProgressParser parser = new ProgressParser(List.of(p), List.of(new LineFilter("progress.ignore[0]",
                Pattern.compile("^Downloading"), List.of())));
        Fields.assertProgress("step=3 total_steps=7", parser.parse("3/7"), "3/7");
        assertNull(parser.parse("Downloading 3/7"));
    }
}
