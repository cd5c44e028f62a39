package dev.medic.discover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EntryScriptTest {
    @TempDir
    Path tmp;

    private Path file(String name) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "print('hi')\n");
        return p;
    }

    private EntryScript find(String... argv) {
        return EntryScript.find(List.of(argv), tmp);
    }

    @Test
    void pythonWithOptionsThenTheScript() throws Exception {
        Path s = file("train.py");
        assertEquals(s, find("python3", "-u", "-W", "ignore", "train.py", "--lr", "1").file());
        assertEquals(List.of("/usr/bin/python3.11", "train.py", "--help"), find("/usr/bin/python3.11", "train.py").helpArgv());
        assertEquals(s, find("python", "train.py").file());
    }

    @Test
    void aModuleResolvesToAFileUnderTheWorkingDirectory() throws Exception {
        Path m = file("pkg/train.py");
        EntryScript e = find("python", "-m", "pkg.train", "--epochs", "1");
        assertEquals(m, e.file());
        assertEquals(List.of("python", "-m", "pkg.train", "--help"), e.helpArgv());
        Path main = file("app/__main__.py");
        assertEquals(main, find("python3", "-m", "app").file());
        assertNull(find("python3", "-m", "some_installed_module"), "not under the working directory: not found");
    }

    @Test
    void launchersAreSeenThroughAndTheirOptionsSkipped() throws Exception {
        Path s = file("train.py");
        assertEquals(s, find("torchrun", "--nproc_per_node", "2", "--standalone", "train.py", "--bs", "8").file());
        assertEquals(List.of("python3", "train.py", "--help"), find("torchrun", "--nproc_per_node=2", "train.py").helpArgv());
        assertEquals(s, find("python", "-m", "torch.distributed.run", "--nproc_per_node", "2", "train.py").file());
        assertEquals(s, find("accelerate", "launch", "--num_processes", "2", "train.py").file());
        assertEquals(s, find("deepspeed", "--num_gpus", "2", "train.py", "--deepspeed", "ds.json").file());
        Path m = file("pkg/run.py");
        assertEquals(m, find("torchrun", "--nproc_per_node", "2", "-m", "pkg.run").file());
    }

    @Test
    void anythingElseHasNoEntryScript() throws Exception {
        file("train.py");
        assertNull(find("sh", "-c", "python3 train.py"));
        assertNull(find("bash", "train.py"));
        assertNull(find("./train"));
        assertNull(find("python3", "-c", "import train"));
        assertNull(find("python3", "missing.py"));
        assertNull(find("python3", "notes.txt"));
    }
}
