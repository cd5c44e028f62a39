package dev.medic.notify;

import dev.medic.MedicException;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which notifiers a run uses and how they are configured. Secrets come only from the environment
 * (their variable names are configurable); a notifier that is asked for but not configured is an
 * error before the run starts, not a surprise at 3 a.m.
 */
public record NotifierSetup(List<String> names, String telegramTokenEnv, String telegramChatEnv, String webhookUrl,
                            String webhookSecretEnv, Duration timeout) {
    public static final String DEFAULT_API = "https://api.telegram.org";
    public static final String API_ENV = "MEDIC_TELEGRAM_API";
    public static final String WEBHOOK_URL_ENV = "MEDIC_WEBHOOK_URL";

    public NotifierSetup {
        names = List.copyOf(new LinkedHashSet<>(names));
    }

    public List<Notifier> create(Map<String, String> env, PrintStream console) {
        List<Notifier> out = new ArrayList<>();
        for (String n : names) {
            switch (n) {
                case "console" -> out.add(new ConsoleNotifier(console));
                case "telegram" -> {
                    String token = required(env, telegramTokenEnv, "telegram");
                    if (!token.matches("\\d+:[A-Za-z0-9_-]+")) {
                        throw MedicException.badInput(telegramTokenEnv + " does not look like a bot token (digits:letters)");
                    }
                    String chat = required(env, telegramChatEnv, "telegram");
                    String api = env.getOrDefault(API_ENV, DEFAULT_API);
                    checkUrl(api, API_ENV);
                    out.add(new TelegramNotifier(token, chat, api, telegramTokenEnv, telegramChatEnv, timeout));
                }
                case "webhook" -> {
                    String url = webhookUrl != null ? webhookUrl : env.get(WEBHOOK_URL_ENV);
                    if (url == null || url.isBlank()) {
                        throw MedicException.badInput("--notify webhook needs --webhook-url URL or " + WEBHOOK_URL_ENV);
                    }
                    String secret = webhookSecretEnv == null ? null : env.get(webhookSecretEnv);
                    out.add(new WebhookNotifier(checkUrl(url, "--webhook-url"), secret, timeout));
                }
                default -> throw MedicException.badInput("--notify: unknown notifier '" + n + "' (console, telegram, webhook)");
            }
        }
        return out;
    }

    private static String required(Map<String, String> env, String name, String notifier) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw MedicException.badInput("--notify " + notifier + " needs the environment variable " + name);
        }
        return v.strip();
    }

    private static URI checkUrl(String url, String what) {
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw MedicException.badInput(what + ": not an http(s) URL");
        }
    }
}
