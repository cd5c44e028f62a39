package dev.medic.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookNotifierTest {
    @Test
    void postsSlackTextAndTheStructuredBodySigned() throws Exception {
        try (FakeServer hook = new FakeServer()) {
            Escalation e = TelegramNotifierTest.escalation(List.of("7: CUDA out of memory"), List.of("attempt 1: cuda_oom -> escalate"));
            String result = new WebhookNotifier(URI.create(hook.base() + "/hooks/medic"), "s3cret-signing-key", Duration.ofSeconds(5)).send(e);
            assertEquals("sent", result);
            FakeServer.Request r = hook.requests.get(0);
            assertEquals("POST", r.method());
            assertEquals("/hooks/medic", r.path());
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertTrue(body.path("text").asText().startsWith("medic: run 20261126-120000-abcd on gpu-node-7 needs a person\n"));
            assertEquals("cuda_oom", body.path("failure").asText());
            assertEquals("7: CUDA out of memory", body.path("evidence").get(0).asText());
            assertEquals("attempt 1: cuda_oom -> escalate", body.path("attempts").get(0).asText());
            assertEquals(3_723_000, body.path("duration_ms").asLong());
            assertEquals("/runs/20261126-120000-abcd/attempt-1.log", body.path("logs").get(0).asText());
            assertEquals("sha256=" + WebhookNotifier.hmac("s3cret-signing-key", r.body()), r.header(WebhookNotifier.SIGNATURE_HEADER));
        }
    }

    @Test
    @Tag("fault")
    void unsignedWithoutASecretAndAServerErrorIsRetriedOnce() throws Exception {
        try (FakeServer hook = new FakeServer()) {
            hook.then(new FakeServer.Reply(500, "oops"), new FakeServer.Reply(500, "oops"));
            String result = new WebhookNotifier(URI.create(hook.base() + "/"), null, Duration.ofSeconds(5))
                    .send(TelegramNotifierTest.escalation(List.of("1: x"), List.of()));
            assertEquals("failed: the receiver answered 500", result);
            assertEquals(2, hook.requests.size());
            assertNull(hook.requests.get(0).header(WebhookNotifier.SIGNATURE_HEADER));
        }
    }

    @Test
    void theHmacIsTheStandardOne() {
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookNotifier.hmac("Jefe", "what do ya want for nothing?"));
    }
}
