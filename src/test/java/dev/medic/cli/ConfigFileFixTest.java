package dev.medic.cli;

import dev.medic.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch size in the YAML config a real training command reads: the next attempt gets a changed copy. */
class ConfigFileFixTest {
    @TempDir
    Path tmp;

    /** Fails with the "GPU" out of memory above batch 32; reads its config as text, so it needs no YAML library. */
    private static final String TRAIN = """
            import re, sys
            text = open(sys.argv[sys.argv.index("--config") + 1]).read()
            batch = int(re.search(r"batch_size: *([0-9_]+)", text).group(1).replace("_", ""))
            print("train: batch", batch, flush=True)
            if batch > 32:
                sys.exit("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB")
            print("train: done", flush=True)
            """;

    @Test
    void aPrivateConfigIsCopiedPrivateWithOnlyTheBatchSizeChanged() throws Exception {
        String original = """
                # secrets and anchors stay as written
                api_key: sk-live-0123456789   # 0600 for this
                defaults: &base
                  lr: 1e5
                model:
                  <<: *base
                  layers: [*base]
                data:
                  batch_size: 64
                """;
        Path cfg = Files.writeString(tmp.resolve("cfg.yaml"), original);
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp.resolve("train.py"), TRAIN);
        MedicProcess m = MedicProcess.start(tmp, Map.of(), "run", "--backoff", "0s", "--run-dir", "runs", "--",
                "python3", "train.py", "--config", "cfg.yaml");
        assertEquals(ExitCodes.SUCCESS, m.waitFor(), m.err());
        assertTrue(m.out().contains("train: batch 32"), m.out());
        List<Path> copies;
        try (Stream<Path> s = Files.find(tmp.resolve("runs"), 3, (p, a) -> p.getFileName().toString().equals("cfg.yaml"))) {
            copies = s.toList();
        }
        assertEquals(1, copies.size(), copies.toString());
        assertEquals(original.replace("batch_size: 64", "batch_size: 32"), Files.readString(copies.get(0)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copies.get(0))));
        assertEquals(original, Files.readString(cfg), "the user's file is untouched");
    }
}
