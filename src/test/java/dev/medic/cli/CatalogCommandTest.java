package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogCommandTest {
    @Test
    void theSupervisionReferenceShowsTheCatalogAsItIs() throws Exception {
        InProcess r = InProcess.run("catalog", "--markdown", "--catalog", Fixtures.catalogDir().toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        String doc = Files.readString(Fixtures.projectDir().resolve("references/supervision.md"));
        String inDoc = doc.substring(doc.indexOf("<!-- catalog:begin -->\n") + "<!-- catalog:begin -->\n".length(),
                doc.indexOf("<!-- catalog:end -->"));
        assertEquals(r.out(), inDoc, "references/supervision.md is out of date: paste `medic catalog --markdown` into it");
    }

    @Test
    void theTextListingNamesEveryFailureAndLadder() {
        InProcess r = InProcess.run("catalog", "--catalog", Fixtures.catalogDir().toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("cuda_oom: GPU out of memory"), r.out());
        assertTrue(r.out().contains("reduce_batch_size (x6) → escalate"), r.out());
        assertTrue(r.out().contains("code_bug: any other error"), r.out());
    }
}
