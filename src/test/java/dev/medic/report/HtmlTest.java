package dev.medic.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlTest {
    @Test
    void textIsEscapedAndLosesTerminalControls() {
        assertEquals("&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;", Html.text("<script>a & \"b\" 'c'</script>"));
        assertEquals("red bell", Html.text("\u001b[31mred\u001b[0m \u0007bell"));
        assertEquals("", Html.text(null));
    }

    @Test
    void numbersAndCoordinates() {
        assertEquals("NaN", Html.number(Double.NaN));
        assertEquals("inf", Html.number(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Html.number(Double.NEGATIVE_INFINITY));
        assertEquals("3", Html.number(3.0));
        assertEquals("1.038", Html.number(1.0379));
        assertEquals("0.0005", Html.number(0.0005));
        assertEquals("12.5", Html.coord(12.46));
        assertEquals("-0.1", Html.coord(-0.06));
        assertEquals("0.0", Html.coord(-0.04));
        assertEquals("640.0", Html.coord(640));
    }
}
