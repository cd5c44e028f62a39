package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.Version;
import dev.medic.logs.Redactor;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
import dev.medic.util.Hosts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "notify", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = "Sends a test message through the configured notifiers (--test).")
final class NotifyCommand implements Callable<Integer> {
    @Option(names = "--test", required = true, description = "Send a test message.")
    boolean test;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Mixin
    NotifyOptions notify;

    @Override
    public Integer call() {
        List<Notifier> notifiers = notify.create(System.out);
        Escalation test = new Escalation("test", Hosts.name(), "medic notify --test", null,
                List.of("this is a test message from medic " + Version.get()), "a test of the notifier configuration", "",
                List.of(), 0, Path.of("").toAbsolutePath().toString(), List.of());
        Redactor redactor = Redactor.fromEnvironments(System.getenv());
        boolean allOk = true;
        for (Notifier n : notifiers) {
            String result = redactor.redact(n.send(test));
            System.out.println(n.name() + ": " + result);
            allOk &= !result.startsWith("failed");
        }
        if (!allOk) {
            throw new MedicException(ExitCodes.RUN_FAILED, "a notifier failed (see above)");
        }
        return ExitCodes.SUCCESS;
    }
}
