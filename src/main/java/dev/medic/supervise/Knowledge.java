package dev.medic.supervise;

import dev.medic.MedicException;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The catalog and the rules a run uses, re-read at every attempt boundary. The catalog is loaded
 * (and must be valid) before anything starts; the rules of the first attempt compile in the
 * background while the child starts. A later edit that does not load keeps the previous set.
 */
public final class Knowledge implements AutoCloseable {
    private final SourceLocation catalogAt;
    private final SourceLocation rulesAt;
    /** Made when first needed: a preloaded run needs neither before its second attempt (the YAML reader takes 20 ms to make). */
    private CatalogLoader catalogLoader;
    private RuleCompiler compiler;
    private Catalog catalog;
    private CompletableFuture<RuleSet> rules;
    private Runnable begin = () -> { };

    public Knowledge(SourceLocation catalogAt, SourceLocation rulesAt) {
        this.catalogAt = catalogAt;
        this.rulesAt = rulesAt;
    }

    public SourceLocation catalogLocation() {
        return catalogAt;
    }

    public SourceLocation rulesLocation() {
        return rulesAt;
    }

    /**
     * Loads the catalog (errors are thrown) and reads the rules, which compile in the background
     * from {@link #beginRules}.
     */
    public Catalog start() {
        Preload preloaded = Preload.take(catalogAt, rulesAt);
        if (preloaded != null) {
            catalog = preloaded.catalog();
            rules = preloaded.rules();
            begin = preloaded::proceed;
            return catalog;
        }
        catalog = loader().load(catalogAt.read());
        SourceSet sources = rulesAt.read();
        CompletableFuture<Void> go = new CompletableFuture<>();
        RuleCompiler c = compiler();
        rules = go.thenApplyAsync(v -> c.compile(sources));
        begin = () -> go.complete(null);
        return catalog;
    }

    /**
     * Lets the rules compile: once the first child has started (on two cores the compilation
     * would compete with the start for the CPU), or when they are asked for.
     */
    public void beginRules() {
        begin.run();
    }

    private synchronized CatalogLoader loader() {
        if (catalogLoader == null) {
            catalogLoader = new CatalogLoader();
        }
        return catalogLoader;
    }

    private synchronized RuleCompiler compiler() {
        if (compiler == null) {
            compiler = new RuleCompiler();
        }
        return compiler;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** True once the rules are compiled (or failed to). */
    public boolean rulesReady() {
        return rules.isDone();
    }

    /** The compiled rules; waits for the first compilation. Throws its error if it failed. */
    public RuleSet rules() {
        beginRules();
        try {
            return rules.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MedicException(dev.medic.ExitCodes.INTERNAL_ERROR, "interrupted while compiling rules");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Re-reads both folders; what changed and loads replaces the current set, what changed and
     * fails is reported and the previous set kept. Returns one message per change.
     */
    public List<String> refresh() {
        List<String> notes = new ArrayList<>();
        try {
            SourceSet cat = catalogAt.read();
            if (!cat.digest().equals(catalog.digest())) {
                catalog = loader().load(cat);
                notes.add("catalog reloaded from " + catalogAt.describe());
            }
        } catch (MedicException e) {
            notes.add("warning: " + e.getMessage() + "; keeping the previous catalog");
        }
        RuleSet current = rules();
        try {
            SourceSet src = rulesAt.read();
            if (!src.digest().equals(current.digest())) {
                RuleSet next = compiler().compile(src);
                rules = CompletableFuture.completedFuture(next);
                current.dispose();
                notes.add("rules reloaded from " + rulesAt.describe() + " (" + next.ruleCount() + " rules)");
            }
        } catch (MedicException e) {
            notes.add("warning: " + e.getMessage().replace("\n", "; ") + "; keeping the previous rules");
        }
        return notes;
    }

    @Override
    public void close() {
        if (rules != null && rules.isDone() && !rules.isCompletedExceptionally()) {
            rules.join().dispose();
        }
    }
}
