package dev.medic.util;

public final class Trace {
    private static final boolean ON = System.getenv("MEDIC_TRACE") != null;
    private static final long T0 = System.nanoTime();
    public static void mark(String what) {
        if (ON) {
            System.err.printf("TRACE %7.1f ms [%s] %s%n", (System.nanoTime() - T0) / 1e6, Thread.currentThread().getName(), what);
        }
    }
}
