package dev.medic.cli;

import dev.medic.notify.Notifier;
import dev.medic.notify.NotifierSetup;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** Who is told when a run needs a person. Tokens and secrets are read from the environment only. */
final class NotifyOptions {
    @Option(names = "--notify", split = ",", paramLabel = "NAME", description = "console (default), telegram, webhook; repeatable or comma-separated.")
    List<String> notify;

    @Option(names = "--telegram-token-env", paramLabel = "VAR", defaultValue = "TELEGRAM_BOT_TOKEN",
            description = "Environment variable holding the bot token (default: ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(names = "--telegram-chat-env", paramLabel = "VAR", defaultValue = "TELEGRAM_CHAT_ID",
            description = "Environment variable holding the chat id (default: ${DEFAULT-VALUE}).")
    String chatEnv;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "Where webhook escalations are POSTed (else MEDIC_WEBHOOK_URL).")
    String webhookUrl;

    @Option(names = "--webhook-secret-env", paramLabel = "VAR", defaultValue = "MEDIC_WEBHOOK_SECRET",
            description = "Environment variable holding the HMAC-SHA256 signing secret (default: ${DEFAULT-VALUE}; unset: unsigned).")
    String webhookSecretEnv;

    @Option(names = "--notify-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time limit for each request to a notifier (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    NotifierSetup setup() {
        List<String> names = notify == null || notify.isEmpty() ? List.of("console") : notify;
        return new NotifierSetup(names, tokenEnv, chatEnv, webhookUrl, webhookSecretEnv, timeout);
    }

    List<Notifier> create(PrintStream console) {
        return setup().create(System.getenv(), console);
    }
}
