package dev.medic.discover;

import dev.medic.util.PrivateFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DiscoveryCacheTest {
    /** What the cache held before it was written without an ObjectMapper (printed by that code). */
    private static final String OLD_FILE = "{" + "\n"
                + "  \"script\" : \"/w/train.py\"," + "\n"
                + "  \"method\" : \"help\"," + "\n"
                + "  \"flags\" : {" + "\n"
                + "    \"--lr\" : {" + "\n"
                + "      \"name\" : \"--lr\"," + "\n"
                + "      \"defaultValue\" : \"0.001\"," + "\n"
                + "      \"type\" : \"float\"," + "\n"
                + "      \"learntFrom\" : \"help\"" + "\n"
                + "    }," + "\n"
                + "    \"--batch-size\" : {" + "\n"
                + "      \"name\" : \"--batch-size\"," + "\n"
                + "      \"defaultValue\" : null," + "\n"
                + "      \"type\" : null," + "\n"
                + "      \"learntFrom\" : \"help\"" + "\n"
                + "    }" + "\n"
                + "  }," + "\n"
                + "  \"prefixes\" : [ \"--trainer.\" ]," + "\n"
                + "  \"hydra\" : true," + "\n"
                + "  \"hydraKeys\" : {" + "\n"
                + "    \"batch_size\" : \"data.batch_size\"" + "\n"
                + "  }," + "\n"
                + "  \"why\" : null" + "\n"
                + "}";

    private static final ProgramFlags FLAGS = new ProgramFlags("/w/train.py", "help",
            Map.of("--lr", new ProgramFlags.Flag("--lr", "0.001", "float", "help"),
                    "--batch-size", new ProgramFlags.Flag("--batch-size", null, null, "help")),
            List.of("--trainer."), true, Map.of("batch_size", "data.batch_size"), null);

    @TempDir
    Path run;

    private DiscoveryCache cache() throws Exception {
        return new DiscoveryCache(PrivateFolder.open(run, PrivateFolder.RUN_FOLDER), run);
    }

    @Test
    void whatIsSavedLoadsBackForTheSameScriptOnly() throws Exception {
        cache().save("abc", FLAGS);
        assertEquals(FLAGS, cache().load("abc", "/w/train.py"));
        assertNull(cache().load("abc", "/w/other.py"));
    }

    @Test
    void aCacheFileAnEarlierMedicWroteStillLoads() throws Exception {
        Files.createDirectories(run.resolve("discovered"));
        Files.writeString(run.resolve("discovered/abc.json"), OLD_FILE);
        assertEquals(FLAGS, cache().load("abc", "/w/train.py"));
    }

    @Test
    void aFileThatIsNotACacheIsLearntAnew() throws Exception {
        Files.createDirectories(run.resolve("discovered"));
        Files.writeString(run.resolve("discovered/abc.json"), "{\"script\":\"/w/train.py\",\"flags\":[1]}");
        assertNull(cache().load("abc", "/w/train.py"));
    }
}
