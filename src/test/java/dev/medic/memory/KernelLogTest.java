package dev.medic.memory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelLogTest {
    /** As /dev/kmsg gave them on this project's machine (a v1 memory cgroup of 64 MiB), with a dictionary line added. */
    static final String KMSG = """
            4,1010,8210535140,-;python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
            6,1022,8210535248,-;[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name
            6,1023,8210535250,-;[  25357]     0 25357    18790    17955    16320     1635         0   192512        0             0 python3
            6,1024,8210535252,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/medic-try-20712,task_memcg=/medic-try-20712,task=python3,pid=25357,uid=0
            3,1025,8210535265,-;Memory cgroup out of memory: Killed process 25357 (python3) total-vm:75160kB, anon-rss:65280kB, file-rss:6540kB, shmem-rss:0kB, UID:0 pgtables:188kB oom_score_adj:0
             SUBSYSTEM=memory
            3,1026,8210535300,c;Out of memory: Killed process 4242 (java) total-vm:9000kB, anon-rss:8000kB
            """;

    @Test
    void recordsAreNumberedAndDictionaryLinesAreNotRecords() {
        List<KernelLog.Record> records = KernelLog.parseAll(KMSG);
        assertEquals(6, records.size());
        assertEquals(1010, records.get(0).seq());
        assertEquals(1026, records.get(5).seq());
        assertTrue(records.get(4).text().startsWith("Memory cgroup out of memory: Killed process 25357 (python3)"));
        assertNull(KernelLog.parse(" SUBSYSTEM=memory"));
        assertNull(KernelLog.parse("garbage"));
        assertNull(KernelLog.parse("x,1,2,-;not a priority"));
    }

    @Test
    void theKilledProcessIsReadFromEitherOomLine() {
        List<KernelLog.Record> r = KernelLog.parseAll(KMSG);
        assertEquals(-1, KernelLog.killedPid(r.get(0).text()), "the invoking task is not the victim");
        assertEquals(-1, KernelLog.killedPid(r.get(2).text()), "the task table names every task of the cgroup");
        assertEquals(25357, KernelLog.killedPid(r.get(3).text()));
        assertEquals(25357, KernelLog.killedPid(r.get(4).text()));
        assertEquals(4242, KernelLog.killedPid(r.get(5).text()));
        assertTrue(KernelLog.isKilledProcessLine(r.get(4).text()));
        assertFalse(KernelLog.isKilledProcessLine(r.get(3).text()));
        assertEquals(-1, KernelLog.killedPid("oom_reaper: reaped process 25357 (python3), now anon-rss:0kB"));
    }
}
