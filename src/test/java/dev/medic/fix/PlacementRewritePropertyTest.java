package dev.medic.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.catalog.Settings;
import dev.medic.facts.Failure;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import dev.medic.fix.ArgvMix.Command;
import dev.medic.fix.ArgvMix.Owns;
import dev.medic.fix.ArgvMix.Part;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixes that change where or how the next attempt runs (CPU fallback, excluding a GPU,
 * setting variables, resuming from a checkpoint, a changed copy of a config file), on arbitrary
 * command lines: a change or a reason, never an exception; what the fix owns changes as the
 * catalog says, every other argument stays exactly as it was.
 */
class PlacementRewritePropertyTest {
    private static Path workdir;

    @BeforeContainer
    static void createWorkdir() throws IOException {
        workdir = Files.createTempDirectory("medic-rewrite");
        Files.createDirectories(workdir.resolve("out/checkpoint-500"));
        Files.writeString(workdir.resolve("ds.json"), "{\"train_micro_batch_size_per_gpu\": 16, \"fp16\": {\"enabled\": true}}");
    }

    @AfterContainer
    static void deleteWorkdir() throws IOException {
        try (Stream<Path> all = Files.walk(workdir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Settings settings(String fix) {
        return FixPlans.CATALOG.fixSettings(fix);
    }

    // ---- cpu_fallback: GPU device values become cpu, fp16 precision a CPU one, GPU-only flags go;
    // no GPU is visible; launchers that need a GPU cannot fall back

    private static final Settings CPU = settings("cpu_fallback");
    private static final Owns DEVICE = Owns.of(CPU.strings("device_flags"), CPU.strings("device_keys"));
    private static final Owns PRECISION = Owns.of(CPU.strings("precision_flags"), CPU.strings("precision_keys"));
    private static final Owns GPU_ONLY = Owns.switches(CPU.strings("remove_flags"));

    record Run(Command command, Map<String, String> env) {
    }

    @Provide
    Arbitrary<Run> cpuRuns() {
        Arbitrary<String> gpu = Arbitraries.of("cuda", "cuda:0", "CUDA:3", "gpu", "GPU", "cuda:0,1");
        Arbitrary<String> fp16 = Arbitraries.of("16", "fp16", "FP16", "16-mixed", "fp16-mixed", "16-true", "half", "Half");
        Arbitrary<String> other = Arbitraries.of("cpu", "mps", "auto", "32", "bf16", "bf16-mixed", "no", "tpu", "0");
        Arbitrary<String> bool = Arbitraries.of("true", "True", "1", "yes", "false");
        Arbitrary<String> gpuOnly = Arbitraries.of(List.copyOf(GPU_ONLY.flags()));
        Arbitrary<Part> owned = Arbitraries.frequencyOf(
                Tuple.of(2, ArgvMix.owned("device", DEVICE.flags(), DEVICE.keys(), gpu)),
                Tuple.of(2, ArgvMix.owned("precision", PRECISION.flags(), PRECISION.keys(), fp16)),
                Tuple.of(1, ArgvMix.owned("kept", DEVICE.flags(), DEVICE.keys(), other)),
                Tuple.of(1, ArgvMix.owned("kept", PRECISION.flags(), PRECISION.keys(), other)),
                Tuple.of(1, gpuOnly.map(f -> new Part("remove", List.of(f), -1, ""))),
                Tuple.of(1, Combinators.combine(gpuOnly, bool).as((f, b) -> new Part("remove", List.of(f + "=" + b), -1, ""))),
                Tuple.of(1, Combinators.combine(gpuOnly, bool).as((f, b) -> new Part("remove", List.of(f, b), -1, ""))));
        Arbitrary<List<String>> program = Arbitraries.of(List.of("python", "train.py"), List.of("/opt/conda/bin/python", "-u", "train.py"),
                List.of("accelerate", "launch", "train.py"), List.of("deepspeed", "train.py"));
        Arbitrary<Map<String, String>> env = Combinators.combine(Arbitraries.of("", "0,1", "0"), Arbitraries.of("", "true"))
                .as((visible, accelerate) -> {
                    Map<String, String> e = new TreeMap<>(Map.of("HOME", "/root"));
                    if (!visible.equals("0")) {
                        e.put("CUDA_VISIBLE_DEVICES", visible);
                    }
                    if (!accelerate.isEmpty()) {
                        e.put("ACCELERATE_USE_CPU", accelerate);
                    }
                    return e;
                });
        Arbitrary<Command> commands = program.flatMap(p -> ArgvMix.commands(p, owned, List.of(DEVICE, PRECISION, GPU_ONLY)));
        return Combinators.combine(commands, env).as(Run::new);
    }

    @Property(tries = 500)
    void cpuFallback(@ForAll("cpuRuns") Run run) {
        Command cmd = run.command();
        FixPlan plan = FixPlans.plan(new CpuFallback(), cmd.argv(), run.env(), Map.of());
        Map<String, String> env = new TreeMap<>(run.env());
        env.put("CUDA_VISIBLE_DEVICES", "");
        env.put("ACCELERATE_USE_CPU", "true");
        boolean nothingToDo = env.equals(run.env()) && cmd.parts().stream().noneMatch(Part::owned);
        if (cmd.argv().get(0).equals("deepspeed") || nothingToDo) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "a GPU-only launcher, or a command already on the CPU");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        assertEquals(cmd.expected(p -> switch (p.kind()) {
            case "device" -> p.with("cpu");
            case "precision" -> p.with(cpuPrecision(p));
            default -> List.of();
        }), c.next().getArgv());
        assertEquals(env, c.next().getEnv());
    }

    /** The catalog's cpu_precision: accelerate's mixed_precision takes 'no', everything else '32'. */
    private static String cpuPrecision(Part p) {
        String name = p.prefix().isEmpty() ? p.args().get(p.valueAt() - 1) : p.prefix().substring(0, p.prefix().length() - 1);
        String last = name.substring(name.lastIndexOf('.') + 1).replaceFirst("^[-+]+", "");
        return last.equals("mixed_precision") || last.equals("mixed-precision") ? "no" : "32";
    }

    // ---- exclude_gpu: the GPU the evidence names leaves CUDA_VISIBLE_DEVICES, process counts
    // above the GPUs left come down to it

    private static final Settings EXCLUDE = settings("exclude_gpu");
    private static final Owns PROCESSES = Owns.of(EXCLUDE.strings("process_flags"), EXCLUDE.strings("process_keys"));

    record GpuRun(Command command, List<String> visible, int bad) {
    }

    @Provide
    Arbitrary<GpuRun> gpuRuns() {
        Arbitrary<String> count = Arbitraries.oneOf(Arbitraries.integers().between(1, 16).map(String::valueOf),
                Arbitraries.of("auto", "gpu", "-1", "all", "AUTO"));
        Arbitrary<Part> owned = Arbitraries.frequencyOf(
                Tuple.of(6, ArgvMix.owned("processes", PROCESSES.flags(), PROCESSES.keys(), count)),
                Tuple.of(1, ArgvMix.owned("gpus", PROCESSES.flags(), PROCESSES.keys(), Arbitraries.of("0", "0,1", "[0,1]", "cuda"))));
        Arbitrary<List<String>> visible = Arbitraries.of("0", "1", "2", "3", "7", " 5", "GPU-8f3a").list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(ArgvMix.commands(List.of("torchrun", "train.py"), owned, List.of(PROCESSES)), visible,
                Arbitraries.integers().between(0, 8)).as(GpuRun::new);
    }

    @Property(tries = 500)
    void excludeGpu(@ForAll("gpuRuns") GpuRun run) {
        Command cmd = run.command();
        Map<String, String> env = Map.of("HOME", "/root", "CUDA_VISIBLE_DEVICES", String.join(",", run.visible()));
        LogEvent evidence = new LogEvent(1, "stderr", 7, "GPU " + run.bad() + " has fallen off the bus", 0L, List.of());
        Failure failure = Failure.fromLine(FixPlans.CATALOG.entry("gpu_hardware"), evidence);
        FixPlan plan = FixPlans.plan(new ExcludeGpu(), new RunSpec(cmd.argv(), env, workdir), Map.of(), failure, null);

        Set<String> allGpus = Set.of("auto", "gpu", "-1", "all");
        if (run.bad() >= run.visible().size() || run.visible().size() == 1 || !cmd.owned("gpus").isEmpty()) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "a GPU not in the list, the only GPU, or a command that names GPUs itself");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        List<String> left = new ArrayList<>();
        run.visible().forEach(d -> left.add(d.strip()));
        left.remove(run.bad());
        assertEquals(cmd.expected(p -> allGpus.contains(p.value().toLowerCase(Locale.ROOT)) || Integer.parseInt(p.value()) <= left.size()
                ? p.args() : p.with(Integer.toString(left.size()))), c.next().getArgv());
        Map<String, String> expectedEnv = new TreeMap<>(env);
        expectedEnv.put("CUDA_VISIBLE_DEVICES", String.join(",", left));
        assertEquals(expectedEnv, c.next().getEnv());
    }

    // ---- set_env: the variables are set, nothing else changes

    @Provide
    Arbitrary<Map<String, String>> vars() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("NCCL_P2P_DISABLE", "HOME", "_X", "a1", "OMP_NUM_THREADS"),
                Arbitraries.of("1X", "A-B", "A B", "É", "X="));
        Arbitrary<String> value = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8);
        return Arbitraries.maps(name, value).ofMaxSize(4);
    }

    @Property(tries = 300)
    void setEnv(@ForAll("vars") Map<String, String> vars, @ForAll("anyArgv") List<String> argv) {
        Map<String, String> env = Map.of("HOME", "/root", "OMP_NUM_THREADS", "1");
        FixPlan plan = FixPlans.plan(new SetEnv(), argv, env, Map.of("vars", vars));
        Map<String, String> expected = new TreeMap<>(env);
        expected.putAll(vars);
        if (vars.isEmpty() || !vars.keySet().stream().allMatch(RunSpec::isEnvName) || expected.equals(env)) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "no variables, a name that is not one, or nothing new");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        assertEquals(argv, c.next().getArgv());
        assertEquals(expected, c.next().getEnv());
    }

    @Provide
    Arbitrary<List<String>> anyArgv() {
        return Arbitraries.strings().all().ofMaxLength(10).list().ofMinSize(1).ofMaxSize(6);
    }

    // ---- resume_from_checkpoint: each resume argument points at the newest checkpoint; with none,
    // one is added at the end in the command's style, or the fix cannot apply

    private static final Settings RESUME = settings("resume_from_checkpoint");
    private static final Owns RESUME_OWNS = Owns.of(RESUME.strings("flags"), RESUME.strings("keys"));

    @Provide
    Arbitrary<Command> resumeCommands() {
        Arbitrary<String> path = Arbitraries.of("old.ckpt", "null", "last", "a b", "$(x)", "é/ckpt", "x=y",
                workdir.resolve("out/checkpoint-500").toString());
        Arbitrary<Part> owned = ArgvMix.owned("resume", RESUME_OWNS.flags(), RESUME_OWNS.keys(), path);
        Arbitrary<Part> style = Arbitraries.of(Part.kept("--output_dir", "out"), Part.kept("fit"), Part.kept("--trainer.max_epochs", "3"));
        return ArgvMix.commands(List.of("python", "train.py"), Arbitraries.frequencyOf(Tuple.of(3, owned), Tuple.of(1, style)),
                List.of(RESUME_OWNS));
    }

    @Property(tries = 300)
    void resumeFromCheckpoint(@ForAll("resumeCommands") Command cmd) {
        String newest = workdir.resolve("out/checkpoint-500").toString();
        FixPlan plan = FixPlans.plan(new ResumeFromCheckpoint(), new RunSpec(cmd.argv(), Map.of(), workdir),
                Map.of("dirs", List.of("out")), null, workdir.resolve("run"));
        List<Part> resumes = cmd.owned("resume");
        if (resumes.isEmpty()) {
            if (plan instanceof FixPlan.Change c) {
                List<String> next = c.next().getArgv();
                assertEquals(cmd.argv(), next.subList(0, cmd.argv().size()), "the command before what is added");
                List<String> added = next.subList(cmd.argv().size(), next.size());
                assertTrue(List.of(List.of("--resume_from_checkpoint", newest), List.of("--ckpt_path", newest)).contains(added),
                        () -> "added " + added);
            }
            return;
        }
        if (resumes.stream().allMatch(p -> p.value().equals(newest))) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "already resuming from the newest checkpoint");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        assertEquals(cmd.expected(p -> p.with(newest)), c.next().getArgv());
    }

    // ---- reduce_batch_size with the batch in a config file: only the file argument changes, to a
    // changed copy in the run folder

    private static final Settings BATCH = settings("reduce_batch_size");
    private static final List<Owns> BATCH_OWNS = List.of(
            Owns.of(BATCH.strings("flags"), BATCH.strings("keys")),
            Owns.of(BATCH.strings("accumulation_flags"), BATCH.strings("accumulation_keys")),
            Owns.of(BATCH.strings("config_flags"), List.of()));

    @Provide
    Arbitrary<Command> configCommands() {
        Arbitrary<String> flag = Arbitraries.of(BATCH.strings("config_flags"));
        Arbitrary<Part> config = Arbitraries.oneOf(flag.map(f -> new Part("config", List.of(f, "ds.json"), 1, "")),
                flag.map(f -> new Part("config", List.of(f + "=ds.json"), 0, f + "=")));
        Arbitrary<Part> missing = flag.map(f -> Part.kept(f, "missing.yaml"));
        return Combinators.combine(ArgvMix.kept(BATCH_OWNS).list().ofMaxSize(6), config, missing.list().ofMaxSize(1), ArgvMix.kept(BATCH_OWNS).list().ofMaxSize(6))
                .as((before, c, m, after) -> {
                    List<Part> parts = new ArrayList<>(before);
                    parts.addAll(m);
                    parts.add(c);
                    parts.addAll(after);
                    return ArgvMix.assemble(List.of("deepspeed", "train.py"), parts);
                });
    }

    @Property(tries = 200)
    void configFileBatch(@ForAll("configCommands") Command cmd) throws IOException {
        Path runDir = workdir.resolve("run");
        FixPlan plan = FixPlans.plan(new ReduceBatchSize(), new RunSpec(cmd.argv(), Map.of(), workdir), Map.of(), null, runDir);
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        Path copy = runDir.resolve("fix-1/ds.json");
        assertEquals(cmd.expected(p -> p.with(copy.toString())), c.next().getArgv());
        FixAction.WriteFile write = assertInstanceOf(FixAction.WriteFile.class, c.actions().get(0));
        assertEquals(copy, write.path());
        JsonNode written = new ObjectMapper().readTree(write.content());
        assertEquals(8, written.get("train_micro_batch_size_per_gpu").asInt());
        assertEquals("{\"train_micro_batch_size_per_gpu\": 16, \"fp16\": {\"enabled\": true}}", Files.readString(workdir.resolve("ds.json")));
    }
}
