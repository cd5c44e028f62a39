package dev.medic;

import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.rules.RuleCompiler;
import dev.medic.rules.RuleSet;
import dev.medic.util.SourceLocation;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** Shared test helpers: the project's folders, the default catalog, copies of rules to edit. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("medic.project.dir", ".")).toAbsolutePath().normalize();
    }

    public static Path rulesDir() {
        return projectDir().resolve("rules");
    }

    public static Path catalogDir() {
        return projectDir().resolve("catalog");
    }

    /** The shared folder beside the checkout (corpus, fixtures), or null when it is not there. */
    public static Path sharedDir() {
        Path p = projectDir().resolveSibling("shared");
        return Files.isDirectory(p) ? p : null;
    }

    /**
     * {@code sub} in the shared folder beside the checkout; without it the test is skipped, or
     * fails under CI, which must provide it.
     */
    public static Path shared(String sub) {
        Path shared = sharedDir();
        if (shared == null || !Files.exists(shared.resolve(sub))) {
            String how = "../shared/" + sub + " is not beside this checkout; clone next to the shared folder to run this test";
            if (inCi()) {
                Assertions.fail(how + " (CI must provide it)");
            }
            Assumptions.abort(how);
        }
        return shared.resolve(sub);
    }

    public static Catalog defaultCatalog() {
        return new CatalogLoader().load(SourceLocation.find("catalog", ".yaml", catalogDir(), Map.of(), null).read());
    }

    /** The project's rules, compiled; the caller disposes of them. */
    public static RuleSet defaultRules() {
        return new RuleCompiler().compile(SourceLocation.find("rules", ".drl", rulesDir(), Map.of(), null).read());
    }

    /** Copies every file of {@code from} into a new folder {@code name} under {@code parent}. */
    public static Path copyDir(Path from, Path parent, String name) {
        Path to = parent.resolve(name);
        try (Stream<Path> s = Files.list(from)) {
            Files.createDirectories(to);
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /**
     * The project's catalog plus one failure whose pattern, {@code (.*x){12}y\b}, backtracks
     * catastrophically on a line of forty {@code x} and "yz" (which its linear filter, blind to
     * the word boundary, passes on to it).
     */
    public static Path catalogWithSlowPattern(Path parent) {
        Path catalog = copyDir(catalogDir(), parent, "catalog");
        try {
            Files.writeString(catalog.resolve("slow.yaml"), """
                    version: 1
                    failures:
                      - id: slow_pattern
                        description: a pattern written without thinking about backtracking
                        retryable: false
                        signatures:
                          - pattern: '(.*x){12}y\\b'
                        ladder:
                          - escalate
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return catalog;
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
