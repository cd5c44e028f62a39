package dev.medic.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    @Tag("fault")
    void aReceiverThatResetsEveryConnectionIsAFailedResultNotAnException() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread resetter = new Thread(() -> {
                while (!server.isClosed()) {
                    try (java.net.Socket s = server.accept()) {
                        accepted.incrementAndGet();
                        s.setSoLinger(true, 0); // close with RST, not FIN
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            resetter.setDaemon(true);
            resetter.start();
            long t0 = System.nanoTime();
            String result = new WebhookNotifier(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook"), "s3cret",
                    Duration.ofSeconds(5)).send(TelegramNotifierTest.escalation(List.of("1: x"), List.of()));
            assertTrue((System.nanoTime() - t0) / 1e9 < 15, "bounded");
            assertTrue(result.startsWith("failed: "), result);
            assertFalse(result.contains("s3cret"), result);
            assertTrue(accepted.get() >= 1, "the connection was made, then reset");
        }
    }

    @Test
    void theHmacIsTheStandardOne() {
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookNotifier.hmac("Jefe", "what do ya want for nothing?"));
    }
}
