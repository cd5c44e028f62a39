package dev.medic.supervise;

import dev.medic.facts.Signature;
import dev.medic.logs.Screen;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Builds an attempt's screen on a thread of its own, so that the child's start need not wait for the anchor automaton. */
final class Screens {
    private Screens() {
    }

    static CompletableFuture<Screen> build(List<Signature> signatures) {
        CompletableFuture<Screen> screen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                screen.complete(new Screen(signatures));
            } catch (Throwable e) {
                screen.completeExceptionally(e);
            }
        }, "medic-screen");
        t.setDaemon(true);
        t.start();
        return screen;
    }
}
