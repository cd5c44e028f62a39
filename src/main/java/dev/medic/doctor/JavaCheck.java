package dev.medic.doctor;

/** The Java that runs medic is 17 or newer (what the jar is built for). */
public final class JavaCheck {
    static final int NEEDED = 17;

    private JavaCheck() {
    }

    public static Finding check() {
        return check(Runtime.version(), System.getProperty("java.home"));
    }

    static Finding check(Runtime.Version version, String home) {
        String found = "Java " + version + " (" + home + ")";
        return version.feature() >= NEEDED ? Finding.ok("java", found)
                : Finding.fail("java", found + " is too old: medic needs Java " + NEEDED + " or newer");
    }
}
