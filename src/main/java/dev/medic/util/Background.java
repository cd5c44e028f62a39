package dev.medic.util;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A value computed on a daemon thread of its own: a probe that need not delay the child's start
 * (the common pool is not used, so that a slow probe never holds up other asynchronous work).
 */
public final class Background {
    private Background() {
    }

    /** Starts computing {@code value} on a daemon thread named {@code name}; a failure completes the future exceptionally. */
    public static <T> CompletableFuture<T> supply(String name, Supplier<T> value) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(value.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result;
    }
}
