package dev.medic.backend;

import java.util.List;

/** How a one-off command (a fix's action) went: ok, a one-line result, and the last lines of its output. */
public record CommandResult(boolean ok, String summary, List<String> tail) {
    public CommandResult {
        tail = List.copyOf(tail);
    }

    /** The last lines of {@code log}, read without following a link (what a link points at must not reach the journal). */
    public static List<String> tailOf(java.nio.file.Path log, int lines) {
        try (var in = java.nio.file.Files.newInputStream(log, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            List<String> all = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }
}
