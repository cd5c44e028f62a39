package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.Signature;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogSuggestCommandTest {
    @TempDir
    Path tmp;

    private static List<Path> codeBugLogs() throws Exception {
        try (Stream<Path> s = Files.list(Fixtures.projectDir().resolve("src/test/resources/cases/code_bug"))) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void everyRealCodeBugLogGetsADraftThatLoadsBesideTheCatalogAndFindsItsLine() throws Exception {
        SourceSet shipped = SourceLocation.find("catalog", ".yaml", Fixtures.catalogDir(), Map.of(), null).read();
        Set<String> ids = new HashSet<>();
        for (Path log : codeBugLogs()) {
            InProcess r = InProcess.run("catalog", "suggest", log.toString(), "--catalog", Fixtures.catalogDir().toString());
            assertEquals(ExitCodes.SUCCESS, r.exitCode(), log + ": " + r.err());
            String out = r.out();
            assertTrue(out.startsWith("# exception line: "), log + ":\n" + out);
            assertTrue(out.lines().skip(1).findFirst().orElseThrow().startsWith("# signature: "), out);
            assertTrue(!out.contains("failed medic's own check"), out);
            String line = out.lines().findFirst().orElseThrow().substring("# exception line: ".length());
            assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.strip().equals(line)), "a line of " + log + ": " + line);

            // the whole output is a catalog file: saved beside the shipped files, it loads
            List<SourceFile> files = new ArrayList<>(shipped.files());
            files.add(new SourceFile("catalog/suggested.yaml", "suggested.yaml", out));
            Catalog c = new CatalogLoader().load(new SourceSet(shipped.origin(), shipped.how(), files));
            String id = out.lines().filter(l -> l.startsWith("  - id: ")).findFirst().orElseThrow().substring("  - id: ".length());
            assertNotNull(c.entry(id), out);
            assertEquals(null, shipped.files().stream().filter(f -> f.content().contains("- id: " + id + "\n")).findFirst().orElse(null),
                    "a drafted id is not one of the catalog's");
            Signature s = c.entry(id).getSignatures().get(0);
            assertTrue(s.matchesText(line), s.getPattern() + " / " + line);
            ids.add(id);
        }
        assertTrue(ids.size() >= 14, "different errors get different ids: " + ids);
    }

    @Test
    void savedInACatalogTheDraftNamesTheFailureWhereCodeBugDidBefore() throws Exception {
        Path log = Fixtures.projectDir().resolve("src/test/resources/cases/code_bug/attributeerror-ddp-no-attribute-generate.log");
        InProcess before = InProcess.run("replay", log.toString(), "--exit-code", "1", "--json", "--catalog", Fixtures.catalogDir().toString(),
                "--rules", Fixtures.rulesDir().toString());
        assertTrue(before.out().contains("\"failure\":\"code_bug\""), before.out());
        Path catalog = tmp.resolve("catalog");
        Files.createDirectories(catalog);
        try (Stream<Path> s = Files.list(Fixtures.catalogDir())) {
            for (Path f : s.toList()) {
                Files.copy(f, catalog.resolve(f.getFileName()));
            }
        }
        InProcess draft = InProcess.run("catalog", "suggest", log.toString(), "--catalog", catalog.toString());
        Files.writeString(catalog.resolve("suggested.yaml"), draft.out());
        InProcess check = InProcess.run("check", "--catalog", catalog.toString(), "--rules", Fixtures.rulesDir().toString());
        assertEquals(ExitCodes.SUCCESS, check.exitCode(), check.err());
        assertTrue(!check.err().contains("warning"), check.err());
        InProcess after = InProcess.run("replay", log.toString(), "--exit-code", "1", "--json", "--catalog", catalog.toString(),
                "--rules", Fixtures.rulesDir().toString());
        assertEquals(ExitCodes.SUCCESS, after.exitCode(), after.err());
        assertTrue(after.out().contains("\"failure\":\"attribute_error_object_has_no_attribute\""), after.out());
    }

    @Test
    void aDraftIdThatTheCatalogHasGetsANumber() throws Exception {
        Path log = tmp.resolve("x.log");
        Files.writeString(log, "step 1\ncode bug\n");
        Path catalog = tmp.resolve("catalog");
        Files.createDirectories(catalog);
        Files.copy(Fixtures.catalogDir().resolve("failures.yaml"), catalog.resolve("failures.yaml"));
        InProcess r = InProcess.run("catalog", "suggest", log.toString(), "--catalog", catalog.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("# last line: code bug\n"), r.out());
        assertTrue(r.out().contains("  - id: code_bug_2\n"), r.out());
        assertTrue(r.out().contains("# no line of the log looked like an error"), r.out());
    }

    @Test
    void aMissingOrUnusableLogIsOneLineAndExit2() throws Exception {
        InProcess missing = InProcess.run("catalog", "suggest", tmp.resolve("nope.log").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertEquals("medic: " + tmp.resolve("nope.log") + ": no such file\n", missing.err());
        InProcess folder = InProcess.run("catalog", "suggest", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, folder.exitCode());
        assertEquals(1, folder.err().lines().count(), folder.err());
        Path blank = tmp.resolve("blank.log");
        Files.writeString(blank, "\n  \n");
        InProcess empty = InProcess.run("catalog", "suggest", blank.toString());
        assertEquals(ExitCodes.BAD_INPUT, empty.exitCode());
        assertTrue(empty.err().contains("no line to draft from"), empty.err());
        InProcess usage = InProcess.run("catalog", "suggest");
        assertEquals(ExitCodes.BAD_INPUT, usage.exitCode());
    }

    @Test
    void theCatalogListingStillWorksBesideItsSubcommand() {
        InProcess r = InProcess.run("catalog", "--catalog", Fixtures.catalogDir().toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("code_bug: any other error"), r.out());
    }
}
