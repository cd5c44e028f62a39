package dev.medic.util;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real files and links: what PrivateFolder refuses, what it leaves alone, and the modes it sets. */
@Tag("fault")
class PrivateFolderTest {
    @TempDir
    Path tmp;

    private Path target() throws Exception {
        Path t = Files.createDirectories(tmp.resolve("outside")).resolve("target.txt");
        Files.writeString(t, "outside\n");
        return t;
    }

    @Test
    void aLinkedFolderOnTheWayIsNamedAndNothingIsWrittenBeyondIt() throws Exception {
        Path outside = target().getParent();
        PrivateFolder run = PrivateFolder.create(tmp.resolve("runs/r1"), PrivateFolder.RUN_FOLDER, true);
        Files.createSymbolicLink(run.dir().resolve("fix-2"), outside);
        Path copy = run.dir().resolve("fix-2").resolve("cfg.yaml");
        LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> run.write(copy, "batch_size: 8\n".getBytes()));
        assertEquals("refusing to write " + copy + ": " + run.dir().resolve("fix-2")
                + " is a symbolic link; a run folder holds only what medic made", e.getMessage());
        assertEquals(copy, e.path());
        assertFalse(Files.exists(outside.resolve("cfg.yaml")));
        assertThrows(LinkRefusedException.class, () -> run.directory(run.dir().resolve("fix-2")));
    }

    @Test
    void theFolderItselfMustNotBeALink() throws Exception {
        Path outside = target().getParent();
        Files.createDirectories(tmp.resolve("sweeps"));
        Path sweep = Files.createSymbolicLink(tmp.resolve("sweeps/s1"), outside);
        LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> PrivateFolder.open(sweep, PrivateFolder.SWEEP_FOLDER));
        assertEquals("refusing to use " + sweep + ": it is a symbolic link; a sweep folder holds only what medic made", e.getMessage());
        assertThrows(LinkRefusedException.class, () -> PrivateFolder.create(sweep, PrivateFolder.SWEEP_FOLDER, false));
        assertThrows(LinkRefusedException.class, () -> PrivateFolder.of(sweep, PrivateFolder.SWEEP_FOLDER).append(sweep.resolve("sweep.jsonl")));
        assertFalse(Files.exists(outside.resolve("sweep.jsonl")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)), "the target's mode is kept");
    }

    @Test
    void everyOpeningRefusesALinkAndLeavesItsTargetAlone() throws Exception {
        Path t = target();
        PrivateFolder run = PrivateFolder.create(tmp.resolve("r"), PrivateFolder.RUN_FOLDER, true);
        Path link = Files.createSymbolicLink(run.dir().resolve("attempt-2.log"), t);
        assertThrows(LinkRefusedException.class, () -> run.append(link));
        assertThrows(LinkRefusedException.class, () -> run.createNew(link));
        assertThrows(LinkRefusedException.class, () -> run.readWrite(link));
        assertThrows(LinkRefusedException.class, () -> run.write(link, new byte[0]));
        assertThrows(LinkRefusedException.class, () -> run.read(link));
        assertEquals("outside\n", Files.readString(t));
        run.deleteIfExists(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "a link is deleted as a link");
        assertTrue(Files.exists(t), "and what it pointed at stays");
    }

    @Test
    void filesAndFoldersArePrivateAndAWiderOldFileIsNarrowed() throws Exception {
        Path dir = tmp.resolve("runs/r2");
        PrivateFolder run = PrivateFolder.create(dir, PrivateFolder.RUN_FOLDER, true);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (FileChannel ch = run.append(dir.resolve("attempt-1.log"))) {
            ch.write(java.nio.ByteBuffer.wrap("line\n".getBytes()));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("attempt-1.log"))));
        Path old = Files.writeString(dir.resolve("journal.jsonl"), "{}\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        run.append(old).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old)));
        assertEquals("{}\n", Files.readString(old), "appending keeps what was there");
        try (InputStream in = run.read(old)) {
            assertEquals("{}\n", new String(in.readAllBytes()));
        }
        Path fix = run.directory(dir.resolve("fix-1"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fix)));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> PrivateFolder.create(dir, PrivateFolder.RUN_FOLDER, true));
    }
}
