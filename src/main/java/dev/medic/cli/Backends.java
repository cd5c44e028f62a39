package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.backend.BackendException;
import dev.medic.backend.RunBackend;
import dev.medic.backend.docker.DockerBackend;
import dev.medic.backend.docker.DockerConnection;
import dev.medic.backend.local.LocalBackend;

import java.util.Map;
import java.util.Optional;

/** Picks the backend a run uses, including the fallback to a local process when Docker is unreachable. */
final class Backends {
    record Choice(RunBackend backend, boolean inContainer, Optional<String> warning) {
    }

    private Backends() {
    }

    static Choice choose(String name, String fallback, DockerOptions docker, String gpus, SlurmOptions slurm,
                         Map<String, String> env) {
        if (fallback != null && !fallback.equals("local")) {
            throw MedicException.badInput("--fallback takes only local");
        }
        return switch (name) {
            case "local" -> new Choice(new LocalBackend(), false, Optional.empty());
            case "docker" -> {
                var spec = docker.toSpec(gpus);
                try {
                    yield new Choice(new DockerBackend(DockerConnection.connect(env), spec, env), true, Optional.empty());
                } catch (BackendException e) {
                    if (e.exitCode() != ExitCodes.BACKEND_UNAVAILABLE || fallback == null) {
                        throw e;
                    }
                    yield new Choice(new LocalBackend(), false,
                            Optional.of(e.getMessage() + "; running as a local process instead (--fallback local)"));
                }
            }
            case "slurm" -> {
                try {
                    yield new Choice(new dev.medic.backend.slurm.SlurmBackend(slurm.toSpec(), env), false, Optional.empty());
                } catch (BackendException e) {
                    if (e.exitCode() != ExitCodes.BACKEND_UNAVAILABLE || fallback == null) {
                        throw e;
                    }
                    yield new Choice(new LocalBackend(), false,
                            Optional.of(e.getMessage() + "; running as a local process instead (--fallback local)"));
                }
            }
            default -> throw MedicException.badInput("--backend must be local, docker or slurm, not '" + name + "'");
        };
    }
}
