package dev.medic.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelegramNotifierTest {
    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeServer api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeServer();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private TelegramNotifier notifier(Duration timeout) {
        return new TelegramNotifier(TOKEN, "-1001234567890", api.base(), "TELEGRAM_BOT_TOKEN", "TELEGRAM_CHAT_ID", timeout);
    }

    static Escalation escalation(List<String> evidence, List<String> attempts) {
        return new Escalation("20261126-120000-abcd", "gpu-node-7", "python train.py --batch-size 64", "cuda_oom", evidence,
                "no fix left on the ladder of cuda_oom", "Use a GPU with more memory.", attempts, 3_723_000,
                "/runs/20261126-120000-abcd", List.of("/runs/20261126-120000-abcd/attempt-1.log"));
    }

    @Test
    void sendsOneSendMessageWithTheTokenInThePathOnly() throws Exception {
        String result = notifier(Duration.ofSeconds(5)).send(escalation(
                List.of("12: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB <GPU 0>"),
                List.of("attempt 1: cuda_oom -> reduce_batch_size (argv[3] --batch-size: 64 -> 32)")));
        assertEquals("sent", result);
        assertEquals(1, api.requests.size());
        FakeServer.Request r = api.requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/bot" + TOKEN + "/sendMessage", r.path());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("-1001234567890", body.path("chat_id").asText());
        assertEquals("HTML", body.path("parse_mode").asText());
        assertTrue(body.path("disable_web_page_preview").asBoolean());
        String text = body.path("text").asText();
        assertTrue(text.startsWith("<b>medic: run 20261126-120000-abcd on gpu-node-7 needs a person</b>"), text);
        assertTrue(text.contains("<code>12: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB &lt;GPU 0&gt;</code>"), text);
        assertTrue(text.contains("ran for 1h2m"), text);
        assertFalse(r.body().contains(TOKEN), "the token is in the path, never in the body");
    }

    @Test
    void aLongEscalationIsSplitAtLineBoundariesKeepingTheEvidence() throws Exception {
        List<String> evidence = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            evidence.add((100 + i) + ": RuntimeError: CUDA out of memory " + "x".repeat(280));
        }
        List<String> attempts = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            attempts.add("attempt " + i + ": cuda_oom -> reduce_batch_size " + "y".repeat(100));
        }
        String result = notifier(Duration.ofSeconds(5)).send(escalation(evidence, attempts));
        assertTrue(result.startsWith("sent in "), result);
        assertTrue(api.requests.size() >= 3, "messages: " + api.requests.size());
        StringBuilder all = new StringBuilder();
        for (FakeServer.Request r : api.requests) {
            String text = JSON.readTree(r.body()).path("text").asText();
            assertTrue(text.length() <= TelegramNotifier.MAX_MESSAGE, "length " + text.length());
            assertEquals(count(text, "<code>"), count(text, "</code>"), "tags are balanced in every message");
            all.append(text).append('\n');
        }
        for (int i = 0; i < 20; i++) {
            assertTrue(all.toString().contains((100 + i) + ": RuntimeError"), "evidence line " + i + " was sent");
        }
        String first = JSON.readTree(api.requests.get(0).body()).path("text").asText();
        assertTrue(first.contains("100: RuntimeError"), "the evidence comes first");
    }

    @Test
    void aSingleHugeLineIsTrimmedNotDropped() throws Exception {
        String result = notifier(Duration.ofSeconds(5)).send(escalation(List.of("1: " + "&".repeat(5000)), List.of()));
        assertTrue(result.startsWith("sent"), result);
        boolean found = false;
        for (FakeServer.Request r : api.requests) {
            String text = JSON.readTree(r.body()).path("text").asText();
            assertTrue(text.length() <= TelegramNotifier.MAX_MESSAGE);
            found |= text.contains("<code>1: &amp;&amp;") && text.contains("&amp;…</code>");
        }
        assertTrue(found, "the long evidence line was sent, shortened, with whole entities");
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfter() throws Exception {
        api.then(new FakeServer.Reply(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\",\"parameters\":{\"retry_after\":1}}"),
                FakeServer.Reply.ok());
        String result = notifier(Duration.ofSeconds(5)).send(escalation(List.of("1: x"), List.of()));
        assertEquals("sent", result);
        assertEquals(2, api.requests.size());
        long gapMs = (api.requests.get(1).atNanos() - api.requests.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMs >= 950, "waited retry_after: " + gapMs + " ms");
    }

    @Test
    void unauthorizedIsAClearConfigurationErrorWithoutTheToken() {
        api.then(new FakeServer.Reply(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"));
        String result = notifier(Duration.ofSeconds(5)).send(escalation(List.of("1: x"), List.of()));
        assertEquals("failed: Telegram rejected the bot token (401): check TELEGRAM_BOT_TOKEN", result);
        assertEquals(1, api.requests.size(), "no retry on 401");
    }

    @Test
    void badRequestNamesTheChatSetting() {
        api.then(new FakeServer.Reply(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}"));
        String result = notifier(Duration.ofSeconds(5)).send(escalation(List.of("1: x"), List.of()));
        assertTrue(result.contains("400: Bad Request: chat not found") && result.contains("TELEGRAM_CHAT_ID"), result);
    }

    @Test
    @Tag("fault")
    void aServerThatNeverAnswersCostsOnlyTheTimeLimit() {
        api.then(new FakeServer.Reply(-20_000, ""));
        long t0 = System.nanoTime();
        String result = notifier(Duration.ofSeconds(1)).send(escalation(List.of("1: x"), List.of()));
        double s = (System.nanoTime() - t0) / 1e9;
        assertTrue(s < 5, "took " + s + " s");
        assertEquals("failed: no answer within 1 s", result);
        assertFalse(result.contains(TOKEN));
    }

    @Test
    void nobodyListeningIsReportedWithoutTheUrl() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String result = new TelegramNotifier(TOKEN, "1", "http://127.0.0.1:" + port, "T", "C", Duration.ofSeconds(2))
                .send(escalation(List.of("1: x"), List.of()));
        assertTrue(result.startsWith("failed: "), result);
        assertFalse(result.contains(TOKEN), result);
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
