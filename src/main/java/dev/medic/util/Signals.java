package dev.medic.util;

import java.util.Map;

/** Linux signal numbers and names, for exit statuses of 128+N. */
public final class Signals {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "HUP"), Map.entry(2, "INT"), Map.entry(3, "QUIT"), Map.entry(4, "ILL"),
            Map.entry(5, "TRAP"), Map.entry(6, "ABRT"), Map.entry(7, "BUS"), Map.entry(8, "FPE"),
            Map.entry(9, "KILL"), Map.entry(10, "USR1"), Map.entry(11, "SEGV"), Map.entry(12, "USR2"),
            Map.entry(13, "PIPE"), Map.entry(14, "ALRM"), Map.entry(15, "TERM"), Map.entry(24, "XCPU"),
            Map.entry(25, "XFSZ"));

    private Signals() {
    }

    /** The signal name for a number, or null when it is not one medic knows. */
    public static String name(int number) {
        return NAMES.get(number);
    }

    public static boolean isKnownName(String name) {
        return NAMES.containsValue(name);
    }

    /** The signal behind an exit status of 128+N as shells and Java report it, or null. */
    public static String fromExitStatus(int status) {
        return status > 128 && status < 128 + 65 ? name(status - 128) : null;
    }
}
