package dev.medic.logs;

import java.util.regex.Pattern;

/**
 * Removes terminal controls so that signatures see plain text and nothing from a log steers the
 * terminal that shows a {@code medic:} line: escape sequences (colours, cursor moves, window
 * titles) in their 7-bit form (ESC [, ESC ]) and their 8-bit form (CSI U+009B, OSC U+009D), every
 * other C1 control (U+0080 to U+009F), BEL, DEL, and the C0 controls but tab, line feed and carriage return.
 */
public final class Ansi {
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-Z\\\\-_])"
                    + "|\u009B[0-?]*[ -/]*[@-~]"
                    + "|\u009D[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\\\|\u009C)?"
                    + "|[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]");

    private Ansi() {
    }

    public static String strip(String text) {
        return hasControl(text) ? ESCAPES.matcher(text).replaceAll("") : text;
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
                return true;
            }
        }
        return false;
    }
}
