package dev.medic.sweep;

import dev.medic.MedicException;
import dev.medic.logs.Redactor;
import dev.medic.util.PrivateFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrialSourceTest {
    @TempDir
    Path tmp;

    @Test
    void gridsExpandAsAProductInTheOrderGiven() {
        List<Trial> t = TrialSource.grid(List.of("lr=1e-3,1e-4", "bs=32,64"));
        assertEquals(4, t.size());
        assertEquals("lr=1e-3 bs=32", t.get(0).label());
        assertEquals("lr=1e-4 bs=64", t.get(3).label());
        assertEquals(4, t.get(3).number());
    }

    @Test
    void trialsFromCsvAndJsonLines() throws Exception {
        Path csv = Files.writeString(tmp.resolve("t.csv"), "lr,bs\n0.1,32\n0.01,64\n");
        assertEquals(Map.of("lr", "0.01", "bs", "64"), TrialSource.file(csv).get(1).params());
        Path jsonl = Files.writeString(tmp.resolve("t.jsonl"), "{\"lr\": 0.1, \"name\": \"a b\"}\n\n{\"lr\": 0.2, \"name\": \"c\"}\n");
        List<Trial> t = TrialSource.file(jsonl);
        assertEquals(2, t.size());
        assertEquals("0.1", t.get(0).params().get("lr"));
        assertEquals("a b", t.get(0).params().get("name"));
        Path typed = Files.writeString(tmp.resolve("typed.jsonl"), "{\"lr\": 1e-3, \"layers\": [1, 2], \"on\": true, \"tag\": null}\n");
        assertEquals(Map.of("lr", "0.001", "layers", "[1,2]", "on", "true", "tag", "null"), TrialSource.file(typed).get(0).params(),
                "a value that is not a string is its JSON text");
        MedicException notObject = assertThrows(MedicException.class, () -> TrialSource.file(Files.writeString(tmp.resolve("a.jsonl"), "[1]\n")));
        assertTrue(notObject.getMessage().endsWith("a.jsonl:1: each line must be a JSON object"), notObject.getMessage());
        assertThrows(MedicException.class, () -> TrialSource.file(Files.writeString(tmp.resolve("bad.csv"), "lr,bs\n0.1\n")));
    }

    @Test
    void placeholdersAreFilledInsideTheirArgumentOnly() {
        Trial t = new Trial(1, Map.of("lr", "0.1; rm -rf /", "bs", "32"));
        assertEquals(List.of("python", "train.py", "--lr", "0.1; rm -rf /", "--tag=bs32"),
                TrialSource.substitute(List.of("python", "train.py", "--lr", "{lr}", "--tag=bs{bs}"), t));
        MedicException e = assertThrows(MedicException.class, () -> TrialSource.substitute(List.of("{epochs}"), t));
        assertEquals("the command uses {epochs} but trial 1 has no such parameter (it has lr, bs)".length() > 0, true);
        assertEquals(true, e.getMessage().startsWith("the command uses {epochs} but trial 1 has no such parameter"));
    }

    @Test
    void secretParametersByNameValueAndPlace() {
        List<Trial> trials = TrialSource.grid(List.of("lr=0.1", "db_password=pw1,pw2", "t=abc", "u=def", "k=envsecret", "n=3"));
        Redactor env = Redactor.fromEnvironments(Map.of("WANDB_API_KEY", "envsecret"));
        List<String> argv = List.of("train.py", "--lr", "{lr}", "--token", "{t}", "--db=postgres://{u}:{n}@h/db", "--x", "{k}");
        assertEquals(Set.of("db_password", "t", "n", "k"), TrialSource.secretParams(argv, trials, env));
        Trial shown = trials.get(0).hiding(Set.of("db_password", "t"));
        assertEquals("lr=0.1 db_password=*** t=*** u=def k=envsecret n=3", shown.label());
        assertEquals(List.of("pw1", "abc"), shown.secretValues());
        assertEquals(List.of("train.py", "--token", "abc"), TrialSource.substitute(List.of("train.py", "--token", "{t}"), shown),
                "the command gets the value whole");
    }

    @Test
    void resumeTellsTrialsThatDifferOnlyInASecretApartByNumber() throws Exception {
        List<Trial> trials = TrialSource.grid(List.of("token=aaaa,bbbb", "lr=0.1")).stream().map(t -> t.hiding(Set.of("token"))).toList();
        SweepFiles files = new SweepFiles(PrivateFolder.of(tmp, PrivateFolder.SWEEP_FOLDER));
        files.append(new TrialResult(trials.get(1), "run-2", "succeeded", 1, "", List.of(), 5, List.of()));
        files.append(new TrialResult(trials.get(0), "run-1", "escalated", 1, "code_bug", List.of(), 5, List.of()));
        assertEquals(false, Files.readString(files.jsonl()).contains("bbbb"));
        assertEquals("{\"trial\":2,\"params\":{\"token\":\"***\",\"lr\":\"0.1\"},\"attempts\":1,\"root_failure\":\"\",\"fixes\":[],"
                + "\"status\":\"succeeded\",\"duration_ms\":5,\"run_id\":\"run-2\",\"gpus\":[]}", Files.readAllLines(files.jsonl()).get(0),
                "a row as sweep.jsonl has always had it");
        Map<String, TrialResult> before = files.succeeded(trials);
        assertEquals(1, before.size());
        assertEquals(2, before.values().iterator().next().trial().number(), "the trial that succeeded, not its masked twin");
    }
}
