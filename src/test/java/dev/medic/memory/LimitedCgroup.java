package dev.medic.memory;

import dev.medic.Fixtures;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A real memory cgroup with a small limit and no swap, made for one test and removed after it:
 * under the v1 memory hierarchy where one is mounted and writable, else under the unified one
 * where its root delegates the memory controller. Where neither can be made (not root, a
 * read-only cgroup file system) the test is skipped, or fails under CI, which runs as root on a
 * machine that has one.
 */
public final class LimitedCgroup implements AutoCloseable {
    private final Path dir;
    private final int version;

    private LimitedCgroup(Path dir, int version) {
        this.dir = dir;
        this.version = version;
    }

    public static LimitedCgroup create(long limitBytes) {
        CgroupMounts mounts = CgroupMounts.read();
        String name = "medic-test-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder why = new StringBuilder();
        if (mounts.v1() != null) {
            Path dir = mounts.v1().point().resolve(name);
            try {
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
                // memory+swap may not go below memory; without swap accounting the file is not there
                if (Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
                    Files.writeString(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limitBytes));
                }
                return new LimitedCgroup(dir, 1);
            } catch (IOException e) {
                removeQuietly(dir);
                why.append("v1 ").append(dir).append(": ").append(e).append("; ");
            }
        }
        if (mounts.v2() != null) {
            Path dir = mounts.v2().point().resolve(name);
            try {
                String delegated = Files.readString(mounts.v2().point().resolve("cgroup.subtree_control"));
                if (!(" " + delegated.strip() + " ").contains(" memory ")) {
                    throw new IOException("the root does not delegate the memory controller");
                }
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("memory.max"), Long.toString(limitBytes));
                if (Files.exists(dir.resolve("memory.swap.max"))) {
                    Files.writeString(dir.resolve("memory.swap.max"), "0");
                }
                return new LimitedCgroup(dir, 2);
            } catch (IOException e) {
                removeQuietly(dir);
                why.append("v2 ").append(dir).append(": ").append(e).append("; ");
            }
        }
        String how = "no writable memory cgroup to OOM-kill a child in (" + (why.length() == 0 ? "none mounted" : why)
                + "): run the tests as root on a host with a v1 memory hierarchy or a v2 one with the memory controller, as CI does";
        if (Fixtures.inCi()) {
            Assertions.fail(how + " (CI must provide it)");
        }
        Assumptions.abort(how);
        return null;
    }

    /** The file a process writes its pid to, to move into the cgroup. */
    public Path procs() {
        return dir.resolve("cgroup.procs");
    }

    /** The cgroup's name (its folder's): part of its path in /proc/PID/cgroup and in the kernel's record. */
    public String name() {
        return dir.getFileName().toString();
    }

    /** The file whose oom_kill line counts the kills. */
    public String counterFile() {
        return version == 1 ? "memory.oom_control" : "memory.events";
    }

    /** Removes the cgroup once the processes in it have gone (a killed one takes a moment). */
    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < 100 && Files.exists(dir); i++) {
            removeQuietly(dir);
            if (Files.exists(dir)) {
                Thread.sleep(50);
            }
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            // a cgroup folder is removed with rmdir: its control files go with it
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // still busy or not ours to remove
        }
    }
}
