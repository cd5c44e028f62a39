package dev.medic.cli;

import dev.medic.metrics.MetricsFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** --metrics-file, shared by run and sweep. */
final class MetricsOptions {
    @Option(names = "--metrics-file", paramLabel = "FILE", description = "Prometheus text-format metrics, rewritten after each event "
            + "(for node_exporter's textfile collector: put it in its folder, named *.prom).")
    Path metricsFile;

    Optional<MetricsFile> create() {
        return Optional.ofNullable(metricsFile).map(f -> new MetricsFile(f, m -> System.err.println("medic: warning: " + m)));
    }
}
