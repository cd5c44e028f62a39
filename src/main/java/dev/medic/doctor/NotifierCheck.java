package dev.medic.doctor;

import dev.medic.MedicException;
import dev.medic.logs.Redactor;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
import dev.medic.notify.NotifierSetup;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each notifier a run would tell is completely configured (its secrets in the environment, its
 * URLs valid); with {@code send}, a test message goes through it. The console needs no test.
 * Nothing a check prints holds a secret: a webhook URL shows only its scheme, host and port.
 */
public final class NotifierCheck {
    private NotifierCheck() {
    }

    public static List<Finding> check(NotifierSetup setup, Map<String, String> env, boolean send) {
        List<Finding> out = new ArrayList<>();
        Redactor redactor = Redactor.fromEnvironments(env);
        for (String name : setup.names()) {
            String check = "notify " + name;
            NotifierSetup one = new NotifierSetup(List.of(name), setup.telegramTokenEnv(), setup.telegramChatEnv(),
                    setup.webhookUrl(), setup.webhookSecretEnv(), setup.timeout());
            Notifier notifier;
            try {
                notifier = one.create(env, new PrintStream(OutputStream.nullOutputStream())).get(0);
            } catch (MedicException e) {
                out.add(Finding.fail(check, redactor.redact(e.getMessage())));
                continue;
            }
            if (!send || name.equals("console")) {
                out.add(Finding.ok(check, describe(name, setup, env)));
                continue;
            }
            String result = redactor.redact(notifier.send(Escalation.test("medic doctor --send")));
            out.add(result.startsWith("failed") ? Finding.fail(check, "test message " + result)
                    : Finding.ok(check, "test message " + result));
        }
        return out;
    }

    private static String describe(String name, NotifierSetup setup, Map<String, String> env) {
        return switch (name) {
            case "telegram" -> "configured: token in " + setup.telegramTokenEnv() + ", chat in " + setup.telegramChatEnv()
                    + ", API " + env.getOrDefault(NotifierSetup.API_ENV, NotifierSetup.DEFAULT_API) + " (--send sends a test message)";
            case "webhook" -> {
                URI url = URI.create(setup.webhookUrl() != null ? setup.webhookUrl() : env.get(NotifierSetup.WEBHOOK_URL_ENV));
                String secret = setup.webhookSecretEnv();
                boolean signed = secret != null && env.get(secret) != null && !env.get(secret).isEmpty();
                yield "configured: POST to " + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                        + (signed ? ", signed with " + secret : ", unsigned (" + secret + " is not set)") + " (--send sends a test message)";
            }
            default -> "escalations are printed on the terminal";
        };
    }
}
