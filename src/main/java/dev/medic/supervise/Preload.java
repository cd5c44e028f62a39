package dev.medic.supervise;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.util.SourceLocation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The catalog and rules a run will most likely use, loaded on a thread of their own while the
 * command line is still being parsed: on two cores this takes the catalog off the path to the
 * child's start. The rules are read here too, and compile when {@link Knowledge} lets them, only
 * once the catalog has loaded, as without a preload. {@link Knowledge} takes them
 * when it is asked for the same folders; otherwise they are dropped and it loads its own.
 */
public final class Preload {
    private static Preload pending;

    private final SourceLocation catalogAt;
    private final SourceLocation rulesAt;
    private final CompletableFuture<Catalog> catalog = new CompletableFuture<>();
    private final CompletableFuture<RuleSet> rules = new CompletableFuture<>();
    private final CompletableFuture<Void> go = new CompletableFuture<>();

    private Preload(SourceLocation catalogAt, SourceLocation rulesAt) {
        this.catalogAt = catalogAt;
        this.rulesAt = rulesAt;
    }

    /** Begins loading both folders in the background. */
    public static synchronized void start(SourceLocation catalogAt, SourceLocation rulesAt) {
        Preload p = new Preload(catalogAt, rulesAt);
        Thread t = new Thread(p::load, "medic-preload");
        t.setDaemon(true);
        pending = p;
        t.start();
    }

    private void load() {
        try {
            catalog.complete(new CatalogLoader().load(catalogAt.read()));
        } catch (RuntimeException e) {
            catalog.completeExceptionally(e);
            rules.completeExceptionally(e);
            return;
        }
        try {
            var sources = rulesAt.read();
            go.join();
            rules.complete(new RuleCompiler().compile(sources));
        } catch (RuntimeException e) {
            rules.completeExceptionally(e);
        }
    }

    /** The preload of exactly these folders, taken (a second call gets none), or null. */
    static synchronized Preload take(SourceLocation catalogAt, SourceLocation rulesAt) {
        Preload p = pending;
        if (p == null || !p.catalogAt.sameAs(catalogAt) || !p.rulesAt.sameAs(rulesAt)) {
            return null;
        }
        pending = null;
        return p;
    }

    /** Drops a preload nobody took: it never outlives the command that began it. */
    public static synchronized void discard() {
        pending = null;
    }

    /** Waits for the catalog; throws what loading it threw. */
    Catalog catalog() {
        try {
            return catalog.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Lets the rules compile (see {@link Knowledge#beginRules}). */
    void proceed() {
        go.complete(null);
    }

    /** The rules' compilation, under way once the catalog has loaded and {@link #proceed} was called. */
    CompletableFuture<RuleSet> rules() {
        return rules;
    }
}
