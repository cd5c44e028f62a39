package dev.medic.backend.docker;

import java.util.List;

/** For tests in other packages: the engine (or skip/fail with how to start one) and the test image. */
public final class DockerTestSupport {
    private DockerTestSupport() {
    }

    /** The test image's name, once the engine answers and the image exists. */
    public static String requireEngine() {
        TestEngine.client();
        return TestEngine.IMAGE;
    }

    public static List<String> containersOf(String runId) {
        return TestEngine.containersOf(runId);
    }
}
