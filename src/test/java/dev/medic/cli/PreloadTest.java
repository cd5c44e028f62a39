package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `medic run` begins loading its catalog and rules before its options are parsed: whichever way
 * the folders are named, the run uses those, and a broken catalog still stops it before the child.
 */
class PreloadTest {
    @TempDir
    Path tmp;

    private Path brokenCatalog() throws Exception {
        Path cat = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path f = cat.resolve("failures.yaml");
        Files.writeString(f, Files.readString(f).replace("budget: 6", "budget: -1"));
        return cat;
    }

    @Test
    void aBrokenCatalogNamedWithEqualsStopsTheRunBeforeTheChild() throws Exception {
        Path started = tmp.resolve("started");
        InProcess r = InProcess.run("run", "--catalog=" + brokenCatalog(), "--run-dir", tmp.resolve("runs").toString(),
                "--", "touch", started.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("cuda_oom.ladder[1].budget: must be a positive integer"), r.err());
        assertFalse(Files.exists(started));
    }

    @Test
    void aBrokenCatalogNamedInTheConfigFileStopsTheRunBeforeTheChild() throws Exception {
        Path config = Files.writeString(tmp.resolve("medic.yaml"), "catalog: " + brokenCatalog() + "\n");
        Path started = tmp.resolve("started");
        InProcess r = InProcess.run("run", "--config", config.toString(), "--run-dir", tmp.resolve("runs").toString(),
                "--", "touch", started.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("cuda_oom.ladder[1].budget: must be a positive integer"), r.err());
        assertFalse(Files.exists(started));
    }

    @Test
    void anArgumentOfTheCommandIsNotTakenForMedicsOwn() throws Exception {
        // `--catalog` after `--` belongs to the child
        InProcess r = InProcess.run("run", "--catalog", Fixtures.catalogDir().toString(), "--run-dir", tmp.resolve("runs").toString(),
                "--", "true", "--catalog", brokenCatalog().toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void theFoldersTheOptionsNameAreTheOnesUsed() throws Exception {
        Path cat = brokenCatalog();
        // a first run that named the broken folder; the next one names a whole copy: its catalog is loaded
        InProcess.run("run", "--catalog", cat.toString(), "--run-dir", tmp.resolve("runs").toString(), "--", "true");
        Path whole = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "whole");
        InProcess r = InProcess.run("run", "--catalog", whole.toString(), "--run-dir", tmp.resolve("runs").toString(), "--", "true");
        assertEquals(0, r.exitCode(), r.err());
    }
}
