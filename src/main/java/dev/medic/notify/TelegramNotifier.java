package dev.medic.notify;

import dev.medic.journal.JsonLine;


import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the escalation with the Bot API's {@code sendMessage}. The token only ever goes into the
 * request path; results and errors never contain it. Messages longer than Telegram's 4,096
 * characters are split; 429 is retried after its {@code retry_after} within a bounded time; 401
 * and 400 are reported as configuration errors.
 */
public final class TelegramNotifier implements Notifier {
    public static final int MAX_MESSAGE = 4096;
    /** Longest wait for rate limits over one escalation; a notifier must never hold up the run for long. */
    private static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    private final String token;
    private final String chatId;
    private final String apiBase;
    private final String tokenEnvName;
    private final String chatEnvName;
    private final Http http;

    public TelegramNotifier(String token, String chatId, String apiBase, String tokenEnvName, String chatEnvName,
                            Duration timeout) {
        this.token = token;
        this.chatId = chatId;
        this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        this.tokenEnvName = tokenEnvName;
        this.chatEnvName = chatEnvName;
        this.http = new Http(timeout);
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public String send(Escalation e) {
        List<String> messages = MessageText.telegramHtml(e, MAX_MESSAGE);
        for (int i = 0; i < messages.size(); i++) {
            String result = sendOne(messages.get(i));
            if (result != null) {
                return "failed" + (messages.size() > 1 ? " (message " + (i + 1) + " of " + messages.size() + ")" : "") + ": " + result;
            }
        }
        return messages.size() == 1 ? "sent" : "sent in " + messages.size() + " messages";
    }

    /** Null when sent, else why not. */
    private String sendOne(String html) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        body.put("text", html);
        body.put("parse_mode", "HTML");
        body.put("disable_web_page_preview", true);
        URI uri = URI.create(apiBase + "/bot" + token + "/sendMessage");
        long waited = 0;
        boolean retriedServerError = false;
        while (true) {
            Http.Response r = http.postJson(uri, JsonLine.encode(body), Map.of());
            if (r.ok()) {
                return null;
            }
            if (r.error() != null) {
                return scrub(r.error());
            }
            String description = description(r.body());
            if (r.status() == 429) {
                long after = Math.max(1, retryAfter(r.body()));
                if (Duration.ofMillis(waited).plusSeconds(after).compareTo(MAX_RATE_LIMIT_WAIT) > 0) {
                    return "rate limited by Telegram (429, retry after " + after + " s) for longer than medic waits";
                }
                sleep(after * 1000);
                waited += after * 1000;
                continue;
            }
            if (r.status() == 401 || r.status() == 404) {
                return "Telegram rejected the bot token (" + r.status() + "): check " + tokenEnvName;
            }
            if (r.status() == 400 || r.status() == 403) {
                return "Telegram refused the message (" + r.status() + (description.isEmpty() ? "" : ": " + scrub(description))
                        + "): check " + chatEnvName + " and that the bot may write to that chat";
            }
            if (r.status() >= 500 && !retriedServerError) {
                retriedServerError = true;
                sleep(1000);
                continue;
            }
            return "Telegram answered " + r.status() + (description.isEmpty() ? "" : ": " + scrub(description));
        }
    }

    private String scrub(String s) {
        return token.isEmpty() ? s : s.replace(token, "***");
    }

    private static long retryAfter(String body) {
        try {
            return JsonLine.parse(body).get("parameters") instanceof Map<?, ?> p && p.get("retry_after") instanceof Number n
                    ? n.longValue() : 1;
        } catch (Exception e) {
            return 1;
        }
    }

    private static String description(String body) {
        try {
            return JsonLine.parse(body).get("description") instanceof String d ? d : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
