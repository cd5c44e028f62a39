package dev.medic.journal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunStatusTest {
    @Test
    void theWordsAreTheOnesMedicHasAlwaysPrinted() {
        assertEquals(List.of("succeeded", "failed", "escalated", "interrupted", "dry_run", "running", "running?", "dead"),
                Arrays.stream(RunStatus.values()).map(RunStatus::word).toList());
        assertEquals("running?", "" + RunStatus.RUNNING_MAYBE, "it prints as its word");
    }

    @Test
    void aJournalsWordReadsBackAsItsStatus() {
        for (RunStatus s : RunStatus.values()) {
            if (s.ended()) {
                assertEquals(s, RunStatus.of(s.word()));
            }
        }
        assertEquals(RunStatus.FAILED, RunStatus.of("vanished"), "a newer medic's end: ended, and not known to have succeeded");
        assertEquals(RunStatus.FAILED, RunStatus.of("running"), "only a reader says running; a run_finished never does");
    }
}
