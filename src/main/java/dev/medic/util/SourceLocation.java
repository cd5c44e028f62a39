package dev.medic.util;

import dev.medic.MedicException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where a folder of rules or catalog files comes from: {@code --rules DIR} / {@code --catalog DIR},
 * then {@code MEDIC_RULES} / {@code MEDIC_CATALOG}, then {@code rules/} and {@code catalog/}
 * beside {@code bin/medic}, then the copies bundled in the jar. Re-read with {@link #read()} at
 * every attempt boundary so that edits take effect.
 */
public final class SourceLocation {
    /**
     * Largest rules or catalog file read: the shipped files are under 25 KiB, and the YAML parser
     * takes time quadratic in the length of one quoted scalar (seconds past a few MiB).
     */
    public static final long MAX_FILE_BYTES = 1L << 20;

    private final String kind;
    private final String extension;
    private final Path dir;
    private final String how;

    private SourceLocation(String kind, String extension, Path dir, String how) {
        this.kind = kind;
        this.extension = extension;
        this.dir = dir;
        this.how = how;
    }

    /**
     * @param kind      "rules" or "catalog" (also the folder name beside bin/medic)
     * @param flagValue the command-line folder, or null
     * @param env       the environment to read {@code MEDIC_RULES} / {@code MEDIC_CATALOG} from
     * @param home      medic's installation folder (the parent of bin/), or null when unknown
     */
    public static SourceLocation find(String kind, String extension, Path flagValue, Map<String, String> env, Path home) {
        if (flagValue != null) {
            return checked(kind, extension, flagValue, "--" + kind);
        }
        String envName = "MEDIC_" + kind.toUpperCase(java.util.Locale.ROOT);
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return checked(kind, extension, Path.of(fromEnv), envName);
        }
        if (home != null) {
            Path beside = home.resolve(kind);
            if (Files.isDirectory(beside)) {
                return new SourceLocation(kind, extension, beside, "beside bin/medic");
            }
        }
        return new SourceLocation(kind, extension, null, "bundled in the jar");
    }

    private static SourceLocation checked(String kind, String extension, Path dir, String how) {
        if (!Files.isDirectory(dir)) {
            throw MedicException.badInput(how + ": " + dir + " is not a folder");
        }
        return new SourceLocation(kind, extension, dir, how);
    }

    /** The same folder (or the same bundled set) of the same kind, found the same way. */
    public boolean sameAs(SourceLocation o) {
        return o != null && kind.equals(o.kind) && extension.equals(o.extension) && java.util.Objects.equals(dir, o.dir)
                && how.equals(o.how);
    }

    public boolean isBundled() {
        return dir == null;
    }

    public Path dir() {
        return dir;
    }

    public String describe() {
        return (dir == null ? "bundled:" + kind + "/" : display(dir) + "/") + " (" + how + ")";
    }

    /** Reads every {@code *extension} file of the folder, sorted by name. */
    public SourceSet read() {
        List<SourceFile> files = dir == null ? readBundled() : readDir();
        String origin = dir == null ? "bundled:" + kind + "/" : display(dir) + "/";
        return new SourceSet(origin, how, files);
    }

    private List<SourceFile> readDir() {
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().endsWith(extension) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw MedicException.badInput("cannot list " + display(dir) + ": " + e.getMessage());
        }
        List<SourceFile> out = new ArrayList<>();
        for (Path p : paths) {
            try {
                out.add(new SourceFile(display(p), p.getFileName().toString(), readCapped(p)));
            } catch (IOException | UncheckedIOException e) {
                throw MedicException.badInput("cannot read " + display(p) + ": " + e.getMessage());
            } catch (MedicException e) {
                throw e;
            } catch (RuntimeException e) {
                throw MedicException.badInput(display(p) + ": not valid UTF-8 text");
            }
        }
        return out;
    }

    private String readCapped(Path p) throws IOException {
        return readCapped(p, display(p), kind);
    }

    /**
     * The text of a file medic parses ({@code what}: "catalog", "rules", "config", "trials"),
     * refused by its size before anything parses it (it may grow while read: the cap holds).
     */
    public static String readCapped(Path p, String shown, String what) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(p)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            long size = Math.max(bytes.length, Files.size(p));
            throw MedicException.badInput(shown + ": " + ByteSizes.format(size) + " is over the "
                    + ByteSizes.format(MAX_FILE_BYTES) + " limit for a " + what + " file");
        }
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }

    private List<SourceFile> readBundled() {
        String prefix = "medic/bundled/" + kind + "/";
        URL url = SourceLocation.class.getClassLoader().getResource(prefix);
        if (url == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            if ("jar".equals(url.getProtocol())) {
                JarURLConnection c = (JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        String n = e.getName();
                        if (n.startsWith(prefix) && n.endsWith(extension) && n.indexOf('/', prefix.length()) < 0) {
                            names.add(n.substring(prefix.length()));
                        }
                    }
                }
            } else {
                try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
                    s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension)).forEach(names::add);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot list bundled " + kind + ": " + e.getMessage()));
        }
        names.sort(null);
        List<SourceFile> out = new ArrayList<>();
        for (String n : names) {
            try (InputStream in = SourceLocation.class.getClassLoader().getResourceAsStream(prefix + n)) {
                String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                out.add(new SourceFile("bundled:" + kind + "/" + n, n, content));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** A path as a person wants to read it: relative to the current folder when it is below it. */
    public static String display(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
