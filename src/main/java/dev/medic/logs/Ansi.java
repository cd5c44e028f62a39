package dev.medic.logs;

import java.util.regex.Pattern;

/** Removes terminal escape sequences (colours, cursor moves) so that signatures see plain text. */
public final class Ansi {
    private static final Pattern ESCAPES = Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-Z\\\\-_])");

    private Ansi() {
    }

    public static String strip(String text) {
        return text.indexOf('\u001B') < 0 ? text : ESCAPES.matcher(text).replaceAll("");
    }
}
