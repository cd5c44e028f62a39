package dev.medic.backend;

/** Which run and attempt a backend is starting, so that what it creates can be labelled and found again. */
public record AttemptTag(String runId, int attempt) {
}
