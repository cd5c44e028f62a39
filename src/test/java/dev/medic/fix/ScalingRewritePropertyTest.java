package dev.medic.fix;

import dev.medic.catalog.Settings;
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

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixes that scale a number in the command line (batch size, learning rate, clipping norm,
 * data-loader workers), on arbitrary command lines: the plan is a change or a reason, never an
 * exception; each value the fix owns changes as the catalog says; every other argument stays
 * exactly as it was, in its place.
 */
class ScalingRewritePropertyTest {
    private static final List<String> PROGRAM = List.of("python", "train.py");

    private static Settings settings(String fix) {
        return FixPlans.CATALOG.fixSettings(fix);
    }

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A command line and an environment. */
    record Run(Command command, Map<String, String> env) {
    }

    // ---- reduce_batch_size: halved (floored at 1); with gradient accumulation, divided by a
    // factor of the first batch size and the accumulation multiplied by it

    private static final Settings BATCH = settings("reduce_batch_size");
    private static final Owns BATCH_OWNS = Owns.of(BATCH.strings("flags"), plus(BATCH.strings("keys"), BATCH.strings("env")));
    private static final Owns ACC_OWNS = Owns.of(BATCH.strings("accumulation_flags"),
            plus(BATCH.strings("accumulation_keys"), BATCH.strings("accumulation_env")));
    private static final Owns CONFIG_OWNS = Owns.of(BATCH.strings("config_flags"), List.of());

    @Provide
    Arbitrary<Run> batchRuns() {
        Arbitrary<String> size = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(1, 4096)),
                Tuple.of(1, Arbitraries.longs().between(1, 9_999_999_999L))).map(String::valueOf);
        Arbitrary<String> notASize = Arbitraries.of("auto", "0", "08", "-4", "1.5", "", "12345678901", "1e3");
        Arbitrary<Part> owned = Arbitraries.frequencyOf(
                Tuple.of(4, ArgvMix.owned("batch", BATCH_OWNS.flags(), BATCH_OWNS.keys(), size)),
                Tuple.of(1, ArgvMix.owned("acc", ACC_OWNS.flags(), ACC_OWNS.keys(), size)),
                Tuple.of(1, ArgvMix.owned("kept", BATCH_OWNS.flags(), BATCH_OWNS.keys(), notASize)));
        Arbitrary<Map<String, String>> env = Combinators.combine(
                Arbitraries.of("", "BATCH_SIZE", "MICRO_BATCH_SIZE"), size,
                Arbitraries.of("", "GRAD_ACCUM"), size).as((b, bv, a, av) -> {
                    Map<String, String> e = new TreeMap<>(Map.of("HOME", "/root"));
                    if (!b.isEmpty()) {
                        e.put(b, bv);
                    }
                    if (!a.isEmpty()) {
                        e.put(a, av);
                    }
                    return e;
                });
        return Combinators.combine(ArgvMix.commands(PROGRAM, owned, List.of(BATCH_OWNS, ACC_OWNS, CONFIG_OWNS)), env).as(Run::new);
    }

    @Property(tries = 500)
    void reduceBatchSize(@ForAll("batchRuns") Run run) {
        Command cmd = run.command();
        FixPlan plan = FixPlans.plan(new ReduceBatchSize(), cmd.argv(), run.env(), Map.of());

        List<Long> batches = new ArrayList<>();
        cmd.owned("batch").forEach(p -> batches.add(Long.parseLong(p.value())));
        Map<String, String> batchEnv = envOf(run.env(), BATCH.strings("env"));
        batchEnv.values().forEach(v -> batches.add(Long.parseLong(v)));
        List<Long> accs = new ArrayList<>();
        cmd.owned("acc").forEach(p -> accs.add(Long.parseLong(p.value())));
        Map<String, String> accEnv = envOf(run.env(), BATCH.strings("accumulation_env"));
        accEnv.values().forEach(v -> accs.add(Long.parseLong(v)));

        if (batches.isEmpty() || batches.get(0) == 1) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "no batch size, or one already at its minimum");
            return;
        }
        long primary = batches.get(0);
        // keeping the effective batch: the batch is divided by its smallest prime factor, the accumulation multiplied by it
        long ratio = accs.isEmpty() ? 0 : smallestPrimeFactor(primary);
        if (accs.stream().anyMatch(a -> BigInteger.valueOf(a).multiply(BigInteger.valueOf(ratio)).bitLength() > 63)) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "the accumulation would overflow");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan, () -> "a change for " + cmd.argv() + " " + run.env());
        java.util.function.LongUnaryOperator lower = v -> ratio == 0 ? Math.max(1, v / 2) : Math.max(1, v / ratio);
        List<String> expected = cmd.expected(p -> p.with(Long.toString(p.kind().equals("batch")
                ? lower.applyAsLong(Long.parseLong(p.value())) : Long.parseLong(p.value()) * ratio)));
        assertEquals(expected, c.next().getArgv());
        Map<String, String> env = new TreeMap<>(run.env());
        batchEnv.forEach((k, v) -> env.put(k, Long.toString(lower.applyAsLong(Long.parseLong(v)))));
        accEnv.forEach((k, v) -> env.put(k, Long.toString(Long.parseLong(v) * ratio)));
        assertEquals(env, c.next().getEnv());
    }

    private static Map<String, String> envOf(Map<String, String> env, List<String> names) {
        Map<String, String> out = new TreeMap<>();
        for (String n : names) {
            if (env.containsKey(n)) {
                out.put(n, env.get(n));
            }
        }
        return out;
    }

    private static long smallestPrimeFactor(long n) {
        for (long p = 2; p * p <= n; p++) {
            if (n % p == 0) {
                return p;
            }
        }
        return n;
    }

    // ---- scale_learning_rate: halved, in the style it was written; not below 1e-8

    private static final Settings LR = settings("scale_learning_rate");
    private static final Owns LR_OWNS = Owns.of(LR.strings("flags"), plus(LR.strings("keys"), LR.strings("env")));

    @Provide
    Arbitrary<Command> lrCommands() {
        Arbitrary<Part> owned = Arbitraries.frequencyOf(
                Tuple.of(4, ArgvMix.owned("lr", LR_OWNS.flags(), LR_OWNS.keys(), decimals(false))),
                Tuple.of(1, ArgvMix.owned("kept", LR_OWNS.flags(), LR_OWNS.keys(), Arbitraries.of("-1e-3", "auto", "", "1e", "0x10", "1,5"))));
        return ArgvMix.commands(PROGRAM, owned, List.of(LR_OWNS));
    }

    @Property(tries = 500)
    void scaleLearningRate(@ForAll("lrCommands") Command cmd) {
        FixPlan plan = FixPlans.plan(new ScaleLearningRate(), cmd.argv(), Map.of("HOME", "/root"), Map.of());
        List<Part> lrs = cmd.owned("lr");
        BigDecimal floor = new BigDecimal("1e-8");
        if (lrs.isEmpty() || lrs.stream().anyMatch(p -> half(p.value()).compareTo(floor) < 0 || half(p.value()).signum() == 0)) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "no learning rate, or one that would go below its minimum");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        assertScaled(cmd, c.next().getArgv(), p -> half(p.value()));
    }

    // ---- gradient_clipping: halved (not below 0.001); a value that turns clipping off becomes 1.0;
    // anything else is not touched; with no value, one is added at the end in the command's style

    private static final Settings CLIP = settings("gradient_clipping");
    private static final Owns CLIP_OWNS = Owns.of(CLIP.strings("flags"), CLIP.strings("keys"));

    @Provide
    Arbitrary<Command> clipCommands() {
        Arbitrary<String> off = Arbitraries.of("0", "0.0", "-1", "-0.5", "None", "none", "NULL", "~", "off", "False");
        Arbitrary<String> notANumber = Arbitraries.of("auto", "x1", "1,5", "inf", "'1.0'");
        Arbitrary<Part> owned = Arbitraries.frequencyOf(
                Tuple.of(6, ArgvMix.owned("clip", CLIP_OWNS.flags(), CLIP_OWNS.keys(), decimals(true))),
                Tuple.of(2, ArgvMix.owned("off", CLIP_OWNS.flags(), CLIP_OWNS.keys(), off)),
                Tuple.of(1, ArgvMix.owned("bad", CLIP_OWNS.flags(), CLIP_OWNS.keys(), notANumber)));
        // style markers: HF TrainingArguments, Lightning CLI, Hydra
        Arbitrary<Part> style = Arbitraries.of(Part.kept("--output_dir", "out"), Part.kept("fit"), Part.kept("--trainer.max_epochs", "3"),
                Part.kept("model=resnet"), Part.kept("--learning_rate=0.1"));
        return ArgvMix.commands(PROGRAM, Arbitraries.frequencyOf(Tuple.of(3, owned), Tuple.of(1, style)), List.of(CLIP_OWNS));
    }

    @Property(tries = 500)
    void gradientClipping(@ForAll("clipCommands") Command cmd) {
        FixPlan plan = FixPlans.plan(new GradientClipping(), cmd.argv(), Map.of(), Map.of());
        // a zero turns clipping off as well
        List<Part> clips = cmd.owned("clip").stream().filter(p -> new BigDecimal(p.value()).signum() > 0).toList();
        if (!cmd.owned("bad").isEmpty() || clips.stream().anyMatch(p -> half(p.value()).compareTo(new BigDecimal("0.001")) < 0)) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "a value that is not a number, or one at its minimum");
            return;
        }
        if (cmd.owned("clip").isEmpty() && cmd.owned("off").isEmpty()) {
            if (plan instanceof FixPlan.Change c) {
                List<String> next = c.next().getArgv();
                List<String> added = next.subList(Math.min(cmd.argv().size(), next.size()), next.size());
                assertEquals(cmd.argv(), next.subList(0, next.size() - added.size()), "the command before what is added");
                assertTrue(List.of(List.of("--max_grad_norm", "1.0"), List.of("--trainer.gradient_clip_val", "1.0"),
                        List.of("++trainer.gradient_clip_val=1.0")).contains(added), () -> "added " + added);
            }
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        assertScaled(cmd, c.next().getArgv(), p -> clips.contains(p) ? half(p.value()) : BigDecimal.ONE);
    }

    // ---- reduce_workers: halved (1 goes to 0); 0 stays

    private static final Settings WORKERS = settings("reduce_workers");
    private static final Owns WORKER_OWNS = Owns.of(WORKERS.strings("flags"), plus(WORKERS.strings("keys"), WORKERS.strings("env")));

    @Provide
    Arbitrary<Command> workerCommands() {
        Arbitrary<String> count = Arbitraries.oneOf(Arbitraries.integers().between(0, 64).map(String::valueOf),
                Arbitraries.integers().between(0, 999_999_999).map(String::valueOf), Arbitraries.of("00", "007", "000000001"));
        Arbitrary<Part> owned = Arbitraries.frequencyOf(
                Tuple.of(4, ArgvMix.owned("workers", WORKER_OWNS.flags(), WORKER_OWNS.keys(), count)),
                Tuple.of(1, ArgvMix.owned("kept", WORKER_OWNS.flags(), WORKER_OWNS.keys(), Arbitraries.of("-1", "auto", "1234567890", "4.0", ""))));
        return ArgvMix.commands(PROGRAM, owned, List.of(WORKER_OWNS));
    }

    @Property(tries = 500)
    void reduceWorkers(@ForAll("workerCommands") Command cmd) {
        FixPlan plan = FixPlans.plan(new ReduceWorkers(), cmd.argv(), Map.of(), Map.of());
        List<Part> counts = cmd.owned("workers");
        if (counts.stream().allMatch(p -> Integer.parseInt(p.value()) == 0)) {
            assertInstanceOf(FixPlan.Cannot.class, plan, "no worker count, or all at their minimum");
            return;
        }
        FixPlan.Change c = assertInstanceOf(FixPlan.Change.class, plan);
        assertEquals(cmd.expected(p -> Integer.parseInt(p.value()) == 0 ? p.args() : p.with(Integer.toString(Integer.parseInt(p.value()) / 2))),
                c.next().getArgv());
    }

    // ---- shared

    /**
     * Decimal values as command lines write them, with at most five significant digits so that
     * halving is exact: {@code 3e-4}, {@code 1.5E-03}, {@code 0.0001}, {@code .5}, {@code 2.},
     * {@code 10}; with {@code signed}, a '+' sometimes.
     */
    static Arbitrary<String> decimals(boolean signed) {
        return Combinators.combine(Arbitraries.integers().between(0, 99_999), Arbitraries.integers().between(-3, 9),
                Arbitraries.integers().between(0, 5), Arbitraries.of(signed ? "+" : "", "")).as((m, scale, style, sign) -> {
                    BigDecimal v = BigDecimal.valueOf(m, scale);
                    String plain = v.toPlainString();
                    String text = switch (style) {
                        case 0 -> m + "e" + (-scale);
                        case 1 -> m + "E" + (scale > 0 ? "-" : "+") + String.format("%02d", Math.abs(scale));
                        case 2 -> plain.startsWith("0.") ? plain.substring(1) : plain;
                        case 3 -> scale <= 0 ? plain + "." : plain;
                        default -> plain;
                    };
                    return sign + text;
                });
    }

    private static BigDecimal half(String value) {
        return new BigDecimal(value).multiply(new BigDecimal("0.5"));
    }

    /**
     * {@code next} is the command with each owned value replaced by a number equal to what
     * {@code expected} gives, written in the same style (scientific or not), and nothing else changed.
     */
    private static void assertScaled(Command cmd, List<String> next, java.util.function.Function<Part, BigDecimal> expected) {
        assertEquals(cmd.argv().size(), next.size(), () -> "arguments added or lost: " + next);
        IdentityHashMap<Part, String> values = cmd.valuesIn(next);
        assertEquals(cmd.expected(p -> p.with(values.get(p))), next, "only the owned values change");
        values.forEach((p, v) -> {
            assertNotNull(v, () -> p + " lost its name in " + next);
            assertTrue(Decimals.SHAPE.matcher(v).matches(), () -> p + " became '" + v + "'");
            assertEquals(0, expected.apply(p).compareTo(new BigDecimal(v)), () -> p + " became " + v);
            // a value that turned clipping off becomes the catalog's default, in its style
            boolean scientific = p.value().toLowerCase(Locale.ROOT).contains("e");
            if (!v.equals("1.0")) {
                assertEquals(scientific, v.toLowerCase(Locale.ROOT).contains("e"), () -> p + " changed style: " + v);
            }
        });
    }
}
