package dev.medic.memory;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CgroupMountsTest {
    @Test
    void aHybridHostHasTheV1MemoryHierarchyAndTheUnifiedOne() {
        CgroupMounts m = CgroupMounts.parse("""
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
                35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """);
        assertEquals(Path.of("/sys/fs/cgroup/memory"), m.v1().point());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), m.v2().point());
    }

    @Test
    void aV2OnlyHostHasNoV1Memory() {
        CgroupMounts m = CgroupMounts.parse(
                "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n");
        assertNull(m.v1());
        assertEquals(Path.of("/sys/fs/cgroup"), m.v2().point());
        assertEquals(Path.of("/sys/fs/cgroup/user.slice/job.scope"), m.v2().dirOf("/user.slice/job.scope"));
        assertEquals(Path.of("/sys/fs/cgroup"), m.v2().dirOf("/"));
    }

    @Test
    void aContainerSeesItsOwnCgroupAtTheMountPoint() {
        // without a cgroup namespace a container's mount shows /docker/ID at its mount point
        CgroupMounts m = CgroupMounts.parse(
                "700 690 0:32 /docker/3f2a /sys/fs/cgroup/memory ro,nosuid master:15 - cgroup cgroup rw,cpuset,memory\n");
        assertEquals("/docker/3f2a", m.v1().root());
        assertEquals(Path.of("/sys/fs/cgroup/memory"), m.v1().dirOf("/docker/3f2a"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/worker"), m.v1().dirOf("/docker/3f2a/worker"));
    }

    @Test
    void escapedPathsAreReadBack() {
        CgroupMounts m = CgroupMounts.parse("35 31 0:32 / /mnt/cg\\040mem rw - cgroup cgroup rw,memory\n");
        assertEquals(Path.of("/mnt/cg mem"), m.v1().point());
    }

    @Test
    void nothingMountedIsNothing() {
        CgroupMounts m = CgroupMounts.parse("22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\nnot a mountinfo line\n");
        assertNull(m.v1());
        assertNull(m.v2());
    }
}
