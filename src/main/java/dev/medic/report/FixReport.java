package dev.medic.report;

import java.util.List;

/** A fix applied after {@code attempt}: the failure it answered, its ladder rung (-1 when unknown), its id and what it changed. */
public record FixReport(int attempt, String failure, int step, String fix, List<String> changes) {
}
