package dev.medic.notify;

import dev.medic.journal.JsonLine;


import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POSTs the escalation as JSON: a Slack-compatible {@code text} field plus the structured fields,
 * signed with HMAC-SHA256 of the body ({@code X-Medic-Signature-256: sha256=<hex>}) when a secret
 * is configured. A 5xx is retried once.
 */
public final class WebhookNotifier implements Notifier {
    public static final String SIGNATURE_HEADER = "X-Medic-Signature-256";

    private final URI url;
    private final String secret;
    private final Http http;

    public WebhookNotifier(URI url, String secret, Duration timeout) {
        this.url = url;
        this.secret = secret;
        this.http = new Http(timeout);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String send(Escalation e) {
        String body = body(e);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "medic/" + dev.medic.Version.get());
        if (secret != null && !secret.isEmpty()) {
            headers.put(SIGNATURE_HEADER, "sha256=" + hmac(secret, body));
        }
        Http.Response r = http.postJson(url, body, headers);
        if (r.status() >= 500 && r.error() == null) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            r = http.postJson(url, body, headers);
        }
        if (r.ok()) {
            return "sent";
        }
        return "failed: " + (r.error() != null ? r.error() : "the receiver answered " + r.status());
    }

    static String body(Escalation e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("text", MessageText.plain(e));
        o.put("run_id", e.runId());
        o.put("host", e.host());
        o.put("command", e.command());
        o.put("failure", e.failure());
        o.put("reason", e.reason());
        o.put("evidence", e.evidence());
        o.put("attempts", e.attempts());
        o.put("duration_ms", e.durationMillis());
        o.put("advice", e.advice());
        o.put("run_dir", e.runDir());
        o.put("logs", e.logs());
        return JsonLine.encode(o);
    }

    public static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA256 is not available", ex);
        }
    }
}
