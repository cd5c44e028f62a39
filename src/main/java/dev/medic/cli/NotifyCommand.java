package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.logs.Redactor;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
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
        Escalation test = Escalation.test("medic notify --test");
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
