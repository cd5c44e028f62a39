package dev.medic.gc;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Sizes and removes a folder and what is in it without ever following a symbolic link (a link is
 * removed, never its target) or entering another file system mounted inside it.
 */
public final class Trees {
    private Trees() {
    }

    /** What a folder holds: the bytes of its files, and the first mount point inside it (null when none). */
    public record Measure(long bytes, Path mountPoint) {
    }

    public static Measure measure(Path root) throws IOException {
        Object device = device(root);
        long[] bytes = {0};
        Path[] mount = {null};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!device.equals(device(dir))) {
                    mount[0] = dir;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                bytes[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return new Measure(bytes[0], mount[0]);
    }

    /**
     * Removes {@code root} and everything in it; returns the bytes of the files removed. A folder
     * on another file system is left alone, so its parents stay too and the call fails naming it.
     */
    public static long delete(Path root) throws IOException {
        Object device = device(root);
        long[] bytes = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!device.equals(device(dir))) {
                    throw new IOException(dir + " is another file system: left alone");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // walkFileTree reports a link as a file of its own: this removes the link, not its target
                Files.delete(file);
                bytes[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }

    private static Object device(Path p) throws IOException {
        return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    }
}
