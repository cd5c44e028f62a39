package dev.medic.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the memory cgroups are mounted, as /proc/self/mountinfo says (never assumed: a container
 * or a hybrid host mounts them elsewhere). {@code v1} is the cgroup v1 hierarchy holding the memory
 * controller, {@code v2} the unified hierarchy; either is null when it is not mounted.
 */
public record CgroupMounts(Mount v1, Mount v2) {
    static final CgroupMounts NONE = new CgroupMounts(null, null);

    /**
     * One mounted hierarchy: its mount point, and {@code root}, the cgroup shown at that point
     * ("/" unless a container was given a part of the host's tree).
     */
    public record Mount(Path point, String root) {
        /** The folder of a cgroup path as /proc/PID/cgroup names it. */
        Path dirOf(String cgroupPath) {
            String rel = cgroupPath;
            if (!root.equals("/") && (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/"))) {
                rel = cgroupPath.substring(root.length());
            }
            rel = rel.replaceAll("^/+", "");
            return rel.isEmpty() ? point : point.resolve(rel).normalize();
        }
    }

    /** This process's mounts; none when /proc/self/mountinfo cannot be read. */
    public static CgroupMounts read() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /**
     * Reads mountinfo lines: {@code ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
     * SUPER_OPTIONS}; a v1 hierarchy has the memory controller when its super options name it.
     */
    static CgroupMounts parse(String mountinfo) {
        Mount v1 = null;
        Mount v2 = null;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 1) {
                continue;
            }
            Mount m = new Mount(Path.of(unescape(left[4])), unescape(left[3]));
            if (right[0].equals("cgroup") && v1 == null && right.length >= 3
                    && java.util.Arrays.asList(right[2].split(",")).contains("memory")) {
                v1 = m;
            } else if (right[0].equals("cgroup2") && v2 == null) {
                v2 = m;
            }
        }
        return new CgroupMounts(v1, v2);
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes (\040). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
