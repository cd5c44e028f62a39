package dev.medic.backend.slurm;

import dev.medic.backend.ExitStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * States a one-node test cluster without cgroups, accounting or preemption cannot produce, from
 * recorded `scontrol show job -o` lines (Slurm 22.05 wording).
 */
class JobStateTest {
    private static String line(String state, String reason, String exit) {
        return "JobId=4242 JobName=medic-20261126-101010-abcd-1 UserId=alice(1000) GroupId=alice(1000) MCS_label=N/A "
                + "Priority=4294901757 Nice=0 Account=ml QOS=normal JobState=" + state + " Reason=" + reason + " Dependency=(null) "
                + "Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=" + exit + " RunTime=00:41:07 TimeLimit=04:00:00 "
                + "TimeMin=N/A SubmitTime=2026-11-26T09:28:51 EligibleTime=2026-11-26T09:28:51 Partition=gpu "
                + "NodeList=gpu-node-07 BatchHost=gpu-node-07 NumNodes=1 NumCPUs=16 TRES=cpu=16,mem=64G,node=1,gres/gpu=1 "
                + "Command=/runs/r1/slurm-attempt-1.sh WorkDir=/home/alice/exp StdErr=/runs/r1/slurm-attempt-1.err";
    }

    @Test
    void outOfMemoryIsAMemoryKill() {
        ExitStatus s = JobState.parse(line("OUT_OF_MEMORY", "OutOfMemory", "0:125")).toExitStatus();
        assertTrue(s.oomKilled());
        assertEquals(java.util.List.of("Slurm job state OUT_OF_MEMORY"), s.oomRecords(), "the scheduler's record is the evidence");
        assertTrue(s.oomChecked());
        assertFalse(s.lost());
        assertEquals("OUT_OF_MEMORY", s.state());
    }

    @Test
    void preemptionAndNodeFailureAreLostNotFailed() {
        assertTrue(JobState.parse(line("PREEMPTED", "None", "0:15")).toExitStatus().lost());
        assertTrue(JobState.parse(line("NODE_FAIL", "NodeDown", "0:0")).toExitStatus().lost());
        assertTrue(JobState.parse(line("BOOT_FAIL", "None", "0:0")).toExitStatus().lost());
    }

    @Test
    void aTimeLimitIsATimeout() {
        ExitStatus s = JobState.parse(line("TIMEOUT", "TimeLimit", "0:15")).toExitStatus();
        assertTrue(s.timedOut());
        assertEquals("TERM", s.signal());
    }

    @Test
    void failedCompletedAndCancelled() {
        ExitStatus failed = JobState.parse(line("FAILED", "NonZeroExitCode", "3:0")).toExitStatus();
        assertEquals(3, failed.exitCode());
        assertNull(failed.signal());
        ExitStatus killed = JobState.parse(line("FAILED", "NonZeroExitCode", "0:9")).toExitStatus();
        assertEquals(137, killed.exitCode());
        assertEquals("KILL", killed.signal());
        assertEquals(0, JobState.parse(line("COMPLETED", "None", "0:0")).toExitStatus().exitCode());
        assertEquals("TERM", JobState.parse(line("CANCELLED", "None", "0:15")).toExitStatus().signal());
        assertFalse(JobState.parse(line("RUNNING", "None", "0:0")).ended());
        assertFalse(JobState.parse(line("PENDING", "Resources", "0:0")).ended());
    }

    @Test
    void theBatchScriptQuotesEveryArgument() {
        var spec = new dev.medic.facts.RunSpec(java.util.List.of("python", "train.py", "--name", "it's $(rm -rf ~); `id`", "a b"),
                java.util.Map.of(), java.nio.file.Path.of("/work dir"));
        String script = SlurmBackend.script(spec, new dev.medic.backend.AttemptTag("r1", 2, java.nio.file.Path.of("/runs")));
        assertEquals("#!/bin/sh\n# medic run r1, attempt 2\ncd '/work dir' || exit 1\n"
                + "exec 'python' 'train.py' '--name' 'it'\\''s $(rm -rf ~); `id`' 'a b'\n", script);
    }

    @Test
    void accountingKeepsTheEndOfAForgottenJob() {
        ExitStatus oom = JobState.fromSacct("OUT_OF_MEMORY|0:125\n").toExitStatus();
        assertTrue(oom.oomKilled());
        ExitStatus cancelled = JobState.fromSacct("CANCELLED by 1000|0:15").toExitStatus();
        assertEquals("CANCELLED", cancelled.state());
        assertEquals("TERM", cancelled.signal());
        assertEquals(2, JobState.fromSacct("FAILED|2:0").toExitStatus().exitCode());
        assertNull(JobState.fromSacct(""), "no row: accounting does not know the job");
    }

    @Test
    void anyEndButCompletedIsAFailureWhateverTheExitCode() {
        assertEquals(1, JobState.parse(line("FAILED", "NonZeroExitCode", "0:0")).toExitStatus().exitCode());
        assertEquals(1, JobState.parse(line("REVOKED", "None", "0:0")).toExitStatus().exitCode());
    }

    @Test
    void sbatchOptionsMedicSetsItselfAreRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SlurmSpec(null, null, null, null, null, null, null, java.util.List.of("--exclusive", "--output=/tmp/x")));
        assertEquals("--sbatch-arg --output=/tmp/x: medic sets --output itself for every job", e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SlurmSpec(null, null, null, null, null, null, null, java.util.List.of("-o/tmp/x")));
        assertEquals(java.util.List.of("--partition=gpu", "--exclusive"),
                new SlurmSpec("gpu", null, null, null, null, null, null, java.util.List.of("--exclusive")).options());
    }

    @Test
    void aPercentInTheRunFolderIsLiteralForSbatch() {
        assertEquals("/runs/100%%-done/slurm-attempt-1.out",
                SlurmBackend.pattern(java.nio.file.Path.of("/runs/100%-done/slurm-attempt-1.out")));
    }
}
