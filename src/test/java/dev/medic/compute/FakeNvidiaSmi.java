package dev.medic.compute;

import dev.medic.Fixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in `nvidia-smi` on PATH (there is no GPU here) that prints captured output in the real
 * tool's format: the query CSV for --query-gpu, the listing for -L, or fails like a broken driver.
 */
public final class FakeNvidiaSmi {
    private FakeNvidiaSmi() {
    }

    /** An environment whose PATH starts with a folder holding the stand-in. */
    public static Map<String, String> env(Path dir, String queryCsv, String listing, int exitCode) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("query.csv"), queryCsv);
        Files.writeString(dir.resolve("list.txt"), listing);
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/bin/sh
                here=$(dirname "$0")
                if [ %d -ne 0 ]; then
                  echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
                  exit %d
                fi
                case "$1" in
                  --query-gpu=*) cat "$here/query.csv" ;;
                  -L) cat "$here/list.txt" ;;
                  *) echo "unsupported: $*" >&2; exit 2 ;;
                esac
                """.formatted(exitCode, exitCode));
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", dir + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** The stand-in printing what nvidia-smi printed on a real H200 machine (../shared/fixtures/nvidia-smi). */
    public static Map<String, String> capturedH200(Path dir) throws IOException {
        Path fx = Fixtures.shared("fixtures/nvidia-smi");
        return env(dir, Files.readString(fx.resolve("h200-query-gpu.csv")), Files.readString(fx.resolve("h200-L.txt")), 0);
    }

    /** {@code n} H200s in the captured query format (index, name, uuid, total, used, free, util, temp). */
    public static String query(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format("%d, NVIDIA H200, GPU-14a9cb09-ae08-55c9-60a5-427ca9b947%02d, 143771, %d, %d, %d, %d%n",
                    i, i, i * 100, 143771 - i * 100, i * 5, 40 + i));
        }
        return b.toString();
    }

    public static String listing(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format("GPU %d: NVIDIA H200 (UUID: GPU-14a9cb09-ae08-55c9-60a5-427ca9b947%02d)%n", i, i));
        }
        return b.toString();
    }
}
