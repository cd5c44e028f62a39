package dev.medic.util;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Medic's own exit, told apart from a shutdown that something else began (a rule calling
 * {@code System.exit}). Such a shutdown is taken over: its hook waits for medic to end the run
 * (child stopped, journal closed) and halts with medic's exit code instead of the rule's.
 */
public final class Exits {
    private static volatile boolean ownExit;
    private static volatile boolean takenOver;
    private static final CompletableFuture<Integer> CODE = new CompletableFuture<>();

    private Exits() {
    }

    /** Ends the JVM with {@code code}: medic's last call. */
    public static void exit(int code) {
        if (takenOver) {
            CODE.complete(code);
            // the shutdown under way halts with the code; System.exit would block on it for ever
            while (true) {
                LockSupport.park();
            }
        }
        ownExit = true;
        System.exit(code);
    }

    /** True once medic itself has asked to exit. */
    public static boolean ownExit() {
        return ownExit;
    }

    /** From a shutdown hook, for a shutdown medic did not ask for: medic's own exit will now hand its code to the hook. */
    public static void takeOver() {
        takenOver = true;
    }

    /** After {@link #takeOver}: waits up to {@code wait} for medic's own exit code and halts with it, or with {@code fallback}. */
    public static void haltWithOwnCode(Duration wait, int fallback) {
        int code = fallback;
        try {
            code = CODE.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // medic did not finish in time: the fallback stands
        }
        System.err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }
}
