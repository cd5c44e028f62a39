package dev.medic.cli;

import dev.medic.journal.Event;
import dev.medic.journal.JournalReader;
import dev.medic.journal.OldJournals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Old journals print as the code before the journal package printed them (the .txt files beside them). */
class EventTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"mlp-nan-lr5", "mlp-oom-4M"})
    void theConsoleSaysWhatItAlwaysSaid(String run) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        JournalReader.read(OldJournals.journal(run)).forEach(console::onRecord);
        assertEquals(Files.readString(OldJournals.printed(run, "console")), bytes.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp-nan-lr5", "mlp-oom-4M"})
    void historyTellsARunAsItAlwaysDid(String run) throws Exception {
        List<Event> events = JournalReader.read(OldJournals.journal(run));
        List<String> lines = events.stream().map(EventText::past).filter(Objects::nonNull).toList();
        assertEquals(Files.readString(OldJournals.printed(run, "history")), String.join("\n", lines) + "\n");
    }
}
