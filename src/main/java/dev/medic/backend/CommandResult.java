package dev.medic.backend;

import java.util.List;

/** How a one-off command (a fix's action) went: ok, a one-line result, and the last lines of its output. */
public record CommandResult(boolean ok, String summary, List<String> tail) {
    public CommandResult {
        tail = List.copyOf(tail);
    }

    public static List<String> tailOf(java.nio.file.Path log, int lines) {
        try {
            List<String> all = java.nio.file.Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }
}
