package dev.medic.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A folder medic made and writes into: a run folder or a sweep folder. A training process may see
 * it (a container with the working directory mounted, a local child) and plant a symbolic link
 * where medic writes next; so every file and folder in it is opened here without following a link
 * ({@code O_NOFOLLOW}, or create-new), the folders between the root and the file are checked for
 * links first, and a link is refused with {@link LinkRefusedException}. What medic makes here is
 * private to the user whatever the umask: files 0600, folders 0700.
 * <p>The check of the folders on the way and the open are two steps: a process that swaps a folder
 * for a link between them is not caught. Files directly in the root (nearly all of them) have only
 * the root on the way.
 */
public final class PrivateFolder {
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    /** What the refusal calls the folder. */
    public static final String RUN_FOLDER = "run folder";
    public static final String SWEEP_FOLDER = "sweep folder";

    private final Path root;
    private final String kind;

    private PrivateFolder(Path root, String kind) {
        this.root = root;
        this.kind = kind;
    }

    /** The folder {@code dir} (a "run folder", a "sweep folder"), which must exist. */
    public static PrivateFolder of(Path dir, String kind) {
        return new PrivateFolder(dir, kind);
    }

    /**
     * Creates {@code dir} (its parents as the umask makes them), private, and refuses when it is a
     * link. With {@code fresh}, an existing entry is an error ({@link FileAlreadyExistsException});
     * otherwise an existing folder is taken and made private.
     */
    public static PrivateFolder create(Path dir, String kind, boolean fresh) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        PrivateFolder folder = new PrivateFolder(dir, kind);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
        } catch (FileAlreadyExistsException e) {
            if (fresh || Files.isSymbolicLink(dir)) {
                folder.refuseLinks("create", dir, dir);
                throw e;
            }
        }
        folder.refuseLinks("create", dir, dir);
        folder.makePrivate(dir, FOLDER_MODE);
        return folder;
    }

    /** The existing folder {@code dir}, made private; refused when it is a link. */
    public static PrivateFolder open(Path dir, String kind) throws IOException {
        PrivateFolder folder = new PrivateFolder(dir, kind);
        folder.refuseLinks("use", dir, dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(dir.toString(), null, "not a folder");
        }
        folder.makePrivate(dir, FOLDER_MODE);
        return folder;
    }

    public Path dir() {
        return root;
    }

    /** Opens {@code file} for appending, creating it private if it is not there. */
    public FileChannel append(Path file) throws IOException {
        return open(file, "write", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Creates {@code file}, which must not exist (a link there is refused, whatever it points at). */
    public FileChannel createNew(Path file) throws IOException {
        return open(file, "write", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Opens {@code file} to read and write (a lock file), creating it private if it is not there. */
    public FileChannel readWrite(Path file) throws IOException {
        return open(file, "write", StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Replaces the content of {@code file} (created private if it is not there). */
    public void write(Path file, byte[] content) throws IOException {
        try (FileChannel ch = open(file, "write", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            Channels.newOutputStream(ch).write(content);
        }
    }

    /** Reads {@code file} back; a link there is refused (its target could be anything on the host). */
    public InputStream read(Path file) throws IOException {
        return Channels.newInputStream(open(file, "read", StandardOpenOption.READ));
    }

    /** Deletes {@code file} if it is there; a link is removed as a link. */
    public void deleteIfExists(Path file) throws IOException {
        refuseLinks("delete", file, file.getParent());
        Files.deleteIfExists(file);
    }

    /** Makes the folder {@code dir} inside this one (or takes it, if it is a folder already), private. */
    public Path directory(Path dir) throws IOException {
        refuseLinks("create", dir, dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
        } catch (FileAlreadyExistsException e) {
            refuseLinks("create", dir, dir);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        }
        makePrivate(dir, FOLDER_MODE);
        return dir;
    }

    private FileChannel open(Path file, String verb, OpenOption... options) throws IOException {
        refuseLinks(verb, file, file.getParent());
        refuseSpecial(verb, file);
        Set<OpenOption> opts = new HashSet<>(List.of(options));
        opts.add(LinkOption.NOFOLLOW_LINKS);
        boolean creates = opts.contains(StandardOpenOption.CREATE) || opts.contains(StandardOpenOption.CREATE_NEW);
        FileAttribute<?>[] attrs = creates ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        FileChannel ch;
        try {
            ch = FileChannel.open(file, opts, attrs);
        } catch (IOException e) {
            // O_NOFOLLOW fails with ELOOP and O_EXCL with EEXIST on a link: say which it was
            if (Files.isSymbolicLink(file)) {
                throw new LinkRefusedException(verb, file, file, kind);
            }
            throw e;
        }
        if (creates) {
            try {
                makePrivate(file, FILE_MODE);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
        return ch;
    }

    /**
     * Refuses a FIFO, a device or a socket where a file is to be opened: O_NOFOLLOW stops only
     * links, and opening a FIFO waits for a writer for ever, a device takes what is written to it.
     */
    private void refuseSpecial(String verb, Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (a.isOther()) {
            throw new LinkRefusedException(verb, file, file, kindOf(file), kind);
        }
    }

    private static String kindOf(Path file) throws IOException {
        Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int type = mode instanceof Integer m ? m & 0170000 : 0;
        return switch (type) {
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "not a regular file";
        };
    }

    /** Sets {@code mode} (the umask may have taken bits off, or an older medic made it wider), never through a link. */
    private static void makePrivate(Path p, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return; // a file system without POSIX modes: nothing to set
        }
        PosixFileAttributes now = view.readAttributes();
        if (now.isSymbolicLink()) {
            throw new IOException(p + " changed into a symbolic link");
        }
        if (!now.permissions().equals(mode)) {
            view.setPermissions(mode);
        }
    }

    /**
     * Refuses (naming {@code file}) when {@code upTo} or a folder between it and the root (the root
     * included) is a symbolic link.
     */
    private void refuseLinks(String verb, Path file, Path upTo) throws IOException {
        Path top = root.toAbsolutePath().normalize();
        Path target = (upTo == null ? root : upTo).toAbsolutePath().normalize();
        if (!target.startsWith(top)) {
            throw new IllegalArgumentException(target + " is not inside " + top);
        }
        Path p = top;
        check(verb, file, p);
        for (Path name : top.relativize(target)) {
            if (!name.toString().isEmpty()) {
                p = p.resolve(name);
                check(verb, file, p);
            }
        }
    }

    private void check(String verb, Path file, Path p) throws IOException {
        try {
            if (Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
                throw new LinkRefusedException(verb, file, p.equals(file.toAbsolutePath().normalize()) ? file : p, kind);
            }
        } catch (NoSuchFileException e) {
            // opening or creating it says so, in its own words
        }
    }
}
