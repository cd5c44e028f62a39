package dev.medic.util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Finds a program on the PATH of a given environment (ProcessBuilder looks on medic's own PATH). */
public final class Executables {
    private Executables() {
    }

    /** The program's path, or the bare name when it is not found (starting it then fails as "not found"). */
    public static String find(String program, Map<String, String> env) {
        if (program.contains("/")) {
            return program;
        }
        for (String dir : env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return program;
    }
}
