package dev.medic.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** JSON POSTs with a time limit on connecting and on the whole exchange; failures come back as values, not exceptions. */
final class Http {
    record Response(int status, String body, String error) {
        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    Http(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Never throws; {@code error} says what went wrong without naming the URL (it may hold a token). */
    Response postJson(URI uri, String json, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), null);
        } catch (HttpTimeoutException e) {
            return new Response(0, "", "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            return new Response(0, "", "cannot reach " + where + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "", "interrupted");
        } catch (RuntimeException e) {
            return new Response(0, "", e.getClass().getSimpleName());
        }
    }
}
