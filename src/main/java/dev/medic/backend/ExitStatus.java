package dev.medic.backend;

/** How an attempt ended, as far as the backend can tell. */
public record ExitStatus(Integer exitCode, String signal, boolean oomKilled) {
}
