package dev.medic.discover;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What was learnt of a script, kept in {@code <run>/discovered/<sha256>.json} (written through
 * {@link PrivateFolder}: no link followed, 0600), so a resumed run does not probe again. A file
 * that cannot be read back, or that names another script, is ignored and learnt anew.
 */
public final class DiscoveryCache {
    /** Made when the cache is first used: an ObjectMapper takes about 25 ms to make, and most runs never discover. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final PrivateFolder folder;
    private final Path dir;

    /** {@code folder} is the run folder; null keeps nothing on disk. */
    public DiscoveryCache(PrivateFolder folder, Path runDir) {
        this.folder = folder;
        this.dir = runDir == null ? null : runDir.resolve("discovered");
    }

    ProgramFlags load(String hash, String script) {
        if (folder == null || !Files.isRegularFile(dir.resolve(hash + ".json"), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (InputStream in = folder.read(dir.resolve(hash + ".json"))) {
            ProgramFlags f = Json.MAPPER.readValue(in, ProgramFlags.class);
            return script.equals(f.script()) ? f : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void save(String hash, ProgramFlags flags) {
        if (folder == null || flags.script() == null) {
            return;
        }
        try {
            folder.directory(dir);
            folder.write(dir.resolve(hash + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(flags));
        } catch (IOException | RuntimeException e) {
            // the cache only saves a later probe: a run folder that refuses it changes nothing else
        }
    }
}
