package dev.medic.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MemoryCgroupTest {
    private static final String V1 = """
            12:pids:/user.slice/user-0.slice
            5:memory:/medic-oom-test
            4:cpu,cpuacct:/
            1:name=systemd:/user.slice
            0::/user.slice/user-0.slice/session-3.scope
            """;

    @TempDir
    Path tmp;

    @Test
    void theV1LineNamingTheMemoryControllerIsTheProcesssMemoryCgroup() {
        assertEquals("/medic-oom-test", MemoryCgroup.v1Path(V1));
        assertEquals("/user.slice/user-0.slice/session-3.scope", MemoryCgroup.v2Path(V1));
        assertEquals("/docker/3f2a", MemoryCgroup.v1Path("9:cpuset:/\n7:blkio,memory:/docker/3f2a\n"));
        assertNull(MemoryCgroup.v1Path("0::/system.slice/medic.service\n"));
        assertEquals("/system.slice/medic.service", MemoryCgroup.v2Path("0::/system.slice/medic.service\n"));
        // a path may hold a colon: only the first two separate fields
        assertEquals("/a:b", MemoryCgroup.v2Path("0::/a:b\n"));
    }

    @Test
    void v1IsPreferredWhereItsMemoryHierarchyIsMountedElseV2() {
        CgroupMounts hybrid = new CgroupMounts(new CgroupMounts.Mount(Path.of("/sys/fs/cgroup/memory"), "/"),
                new CgroupMounts.Mount(Path.of("/sys/fs/cgroup/unified"), "/"));
        MemoryCgroup v1 = MemoryCgroup.of(V1, hybrid);
        assertEquals(1, v1.version());
        assertEquals(Path.of("/sys/fs/cgroup/memory/medic-oom-test"), v1.dir());
        assertEquals("memory.oom_control", v1.counterFile());
        CgroupMounts unified = new CgroupMounts(null, new CgroupMounts.Mount(Path.of("/sys/fs/cgroup"), "/"));
        MemoryCgroup v2 = MemoryCgroup.of(V1, unified);
        assertEquals(2, v2.version());
        assertEquals(Path.of("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope"), v2.dir());
        assertEquals("memory.events", v2.counterFile());
        assertNull(MemoryCgroup.of(V1, CgroupMounts.NONE));
    }

    @Test
    void theOomKillCounterIsReadFromOomControlAndFromEvents() {
        assertEquals(1L, MemoryCgroup.oomKillCount("oom_kill_disable 0\nunder_oom 0\noom_kill 1\n"));
        assertEquals(3L, MemoryCgroup.oomKillCount("low 0\nhigh 0\nmax 17\noom 4\noom_kill 3\noom_group_kill 0\n"));
        // kernels before 4.13 have no counter: no evidence, not zero
        assertNull(MemoryCgroup.oomKillCount("oom_kill_disable 0\nunder_oom 0\n"));
        assertNull(MemoryCgroup.oomKillCount("oom_kill many\n"));
    }

    @Test
    void limitsAreBytesAndNoLimitIsNull() {
        assertEquals(67108864L, MemoryCgroup.parseLimit("67108864\n"));
        assertNull(MemoryCgroup.parseLimit("max\n"));
        assertNull(MemoryCgroup.parseLimit("9223372036854771712\n"));
        assertNull(MemoryCgroup.parseLimit(""));
    }

    @Test
    void theLimitIsTheSmallestOfTheCgroupAndItsAncestors() throws Exception {
        Path mount = tmp.resolve("memory");
        Path job = Files.createDirectories(mount.resolve("slurm/job_7/step_0"));
        Files.writeString(mount.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(mount.resolve("slurm/memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(mount.resolve("slurm/job_7/memory.limit_in_bytes"), "1073741824\n");
        Files.writeString(job.resolve("memory.limit_in_bytes"), "2147483648\n");
        Files.writeString(job.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        MemoryCgroup cg = MemoryCgroup.of("3:memory:/slurm/job_7/step_0\n",
                new CgroupMounts(new CgroupMounts.Mount(mount, "/"), null));
        assertEquals(1073741824L, cg.limitBytes());
        assertEquals(2L, cg.oomKills());
        MemoryCgroup gone = MemoryCgroup.of("3:memory:/slurm/job_8\n", new CgroupMounts(new CgroupMounts.Mount(mount, "/"), null));
        assertNull(gone.oomKills(), "an unreadable counter is no evidence");
    }
}
