package dev.medic.discover;

import dev.medic.journal.JsonLine;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was learnt of a script, kept in {@code <run>/discovered/<sha256>.json} (written through
 * {@link PrivateFolder}: no link followed, 0600), so a resumed run does not probe again. A file
 * that cannot be read back, or that names another script, is ignored and learnt anew.
 */
public final class DiscoveryCache {
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
            ProgramFlags f = fromJson(JsonLine.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
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
            folder.write(dir.resolve(hash + ".json"), JsonLine.encode(toJson(flags)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // the cache only saves a later probe: a run folder that refuses it changes nothing else
        }
    }

    /** The record as JSON, each component under its own name, as the ObjectMapper this replaced wrote it (so older caches still read). */
    private static Map<String, Object> toJson(ProgramFlags p) {
        Map<String, Object> flags = new LinkedHashMap<>();
        p.flags().forEach((name, f) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", f.name());
            one.put("defaultValue", f.defaultValue());
            one.put("type", f.type());
            one.put("learntFrom", f.learntFrom());
            flags.put(name, one);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("script", p.script());
        m.put("method", p.method());
        m.put("flags", flags);
        m.put("prefixes", p.prefixes());
        m.put("hydra", p.hydra());
        m.put("hydraKeys", p.hydraKeys());
        m.put("why", p.why());
        return m;
    }

    /** A file that is not what {@link #toJson} writes fails here (a ClassCastException, a null), and is learnt anew. */
    @SuppressWarnings("unchecked")
    private static ProgramFlags fromJson(Map<String, Object> m) {
        Map<String, ProgramFlags.Flag> flags = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) m.get("flags")).forEach((name, f) -> flags.put(name,
                new ProgramFlags.Flag((String) f.get("name"), (String) f.get("defaultValue"), (String) f.get("type"),
                        (String) f.get("learntFrom"))));
        Map<String, String> hydraKeys = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("hydraKeys")).forEach((k, v) -> hydraKeys.put(k, (String) v));
        List<String> prefixes = ((List<Object>) m.get("prefixes")).stream().map(String.class::cast).toList();
        return new ProgramFlags((String) m.get("script"), (String) m.get("method"), flags, prefixes, (Boolean) m.get("hydra"),
                hydraKeys, (String) m.get("why"));
    }
}
