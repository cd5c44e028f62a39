package dev.medic.rules;

import dev.medic.Fixtures;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One shipped rules file compiled alone, so that a test sees only what that file decides. */
final class RuleFile {
    private RuleFile() {
    }

    static RuleSet compile(String name) {
        Path p = Fixtures.rulesDir().resolve(name);
        try {
            return new RuleCompiler().compileDrl(new SourceSet("rules/", "test", List.of(new SourceFile("rules/" + name, name, Files.readString(p)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
