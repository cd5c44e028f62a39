package dev.medic.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.medic.ExitCodes;
import dev.medic.backend.BackendException;

import java.time.Duration;
import java.util.Map;

/**
 * Connects to the Docker engine named by {@code DOCKER_HOST}, else the local socket, and checks it
 * answers. The API version is negotiated, not pinned: Debian's engine speaks 1.41, newer ones
 * refuse anything below 1.44. The failure message names what was tried.
 */
public final class DockerConnection {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private DockerConnection() {
    }

    /** The engine's address and how it was chosen, for messages. */
    public static String describe(Map<String, String> env) {
        String h = env.get("DOCKER_HOST");
        return h == null || h.isBlank() ? DEFAULT_HOST + " (DOCKER_HOST is not set)" : h + " (from DOCKER_HOST)";
    }

    /** A client that answered a ping; exit 3 with what was tried when none does. */
    public static DockerClient connect(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        DockerClient client;
        try {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                    .withDockerTlsVerify(false).build();
            DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                    .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(5)).build();
            client = DockerClientImpl.getInstance(config, http);
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new BackendException(ExitCodes.BACKEND_UNAVAILABLE, "Docker is not reachable at " + describe(env) + ": "
                    + reason(e) + ". Start the engine (dockerd), set DOCKER_HOST, or use --fallback local");
        }
        return client;
    }

    /**
     * The engine's version, once it answers and, when {@code image} is not null, holds that image;
     * a {@link BackendException} saying what is wrong otherwise.
     */
    public static String check(Map<String, String> env, String image) {
        DockerClient client = connect(env);
        String version;
        try {
            version = client.versionCmd().exec().getVersion();
        } catch (RuntimeException e) {
            throw new BackendException(ExitCodes.BACKEND_UNAVAILABLE, "the Docker engine at " + describe(env)
                    + " did not tell its version: " + reason(e));
        }
        if (image != null) {
            DockerBackend.requireImage(client, image);
        }
        return version;
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip()).split("\n", 2)[0];
    }
}
