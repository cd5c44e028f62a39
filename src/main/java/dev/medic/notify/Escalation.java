package dev.medic.notify;

import dev.medic.Version;
import dev.medic.util.Hosts;

import java.nio.file.Path;
import java.util.List;

/**
 * What a person needs to act on a run that medic could not fix: which run, what failed and why,
 * every attempt with its fix and result, how long it ran, and where the logs are. Text is already
 * redacted.
 */
public record Escalation(String runId, String host, String command, String failure, List<String> evidence,
                         String reason, String advice, List<String> attempts, long durationMillis, String runDir,
                         List<String> logs) {
    public Escalation {
        evidence = List.copyOf(evidence);
        attempts = List.copyOf(attempts);
        logs = List.copyOf(logs);
    }

    /** The message that checks a notifier's configuration end to end; {@code command} is what sent it. */
    public static Escalation test(String command) {
        return new Escalation("test", Hosts.name(), command, null,
                List.of("this is a test message from medic " + Version.get()), "a test of the notifier configuration", "",
                List.of(), 0, Path.of("").toAbsolutePath().toString(), List.of());
    }
}
