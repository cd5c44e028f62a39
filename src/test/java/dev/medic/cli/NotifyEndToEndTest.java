package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real `medic run` whose ladder ends in escalation tells Telegram (a local stand-in) exactly once, and the token leaks nowhere. */
class NotifyEndToEndTest {
    private static final String TOKEN = "987654321:ZZsecretTOKENvalueThatMustNeverLeak_01";

    @TempDir
    Path tmp;
    HttpServer server;
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(ok);
            }
        });
        server.start();
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    private Map<String, String> env() {
        return Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHAT_ID", "42",
                "MEDIC_TELEGRAM_API", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void anEscalatedRunSendsExactlyOneMessageAndTheTokenIsNowhere() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, env(), "run", "--notify", "telegram,console", "--backoff", "0s",
                "--max-attempts", "2", "--run-dir", "runs", "--", "python3",
                Fixtures.projectDir().resolve("examples/toy_train.py").toString(), "--batch-size", "1024", "--max-fit", "1");
        assertEquals(ExitCodes.RUN_FAILED, m.waitFor(), m.err());
        assertEquals(1, paths.size(), "one message for the run: " + paths);
        assertEquals("/bot" + TOKEN + "/sendMessage", paths.get(0));
        String text = new ObjectMapper().readTree(bodies.get(0)).path("text").asText();
        assertTrue(text.contains("cuda_oom") && text.contains("the attempt budget is spent"), text);
        assertTrue(text.contains("attempt 1: cuda_oom -&gt; reduce_batch_size (argv[3] --batch-size: 1024 -&gt; 512)"), text);
        assertTrue(text.contains("attempt 2: cuda_oom -&gt; escalate (attempts spent)"), text);
        assertTrue(m.err().contains("notified: telegram: sent; console: printed"), m.err());

        assertFalse(m.out().contains(TOKEN) || m.err().contains(TOKEN), "the token is in no output");
        try (Stream<Path> files = Files.walk(tmp.resolve("runs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(TOKEN), "token found in " + f);
            }
        }
    }

    @Test
    void notifyTestSendsATestMessage() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, env(), "notify", "--test", "--notify", "telegram");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        assertEquals("telegram: sent", m.out().strip());
        assertTrue(bodies.get(0).contains("a test of the notifier configuration"));
    }

    @Test
    void aMissingTokenIsBadInputBeforeAnythingRuns() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of("TELEGRAM_BOT_TOKEN", ""), "run", "--notify", "telegram", "--run-dir", "runs",
                "--", "python3", "-c", "open('ran', 'w')");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertEquals("medic: --notify telegram needs the environment variable TELEGRAM_BOT_TOKEN", m.err().strip());
        assertFalse(Files.exists(tmp.resolve("ran")), "the command never started");
    }

    @Test
    void aTokenThatIsNotABotTokenIsRefused() throws Exception {
        MedicProcess m = MedicProcess.start(tmp, Map.of("TELEGRAM_BOT_TOKEN", "12345:AB/../../x?y#", "TELEGRAM_CHAT_ID", "1"),
                "notify", "--test", "--notify", "telegram");
        assertEquals(ExitCodes.BAD_INPUT, m.waitFor());
        assertEquals("medic: TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)", m.err().strip());
    }
}
