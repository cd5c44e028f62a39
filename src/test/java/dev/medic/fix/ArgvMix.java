package dev.medic.fix;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Command lines for the argv rewriters' property tests: the arguments a fix owns, in every
 * spelling the catalog allows ({@code --flag V}, {@code --flag=V}, {@code key=V},
 * {@code +a.key=V}, {@code --a.key V}, ...), among arguments it must leave exactly as they are:
 * random strings (spaces, quotes, {@code $(...)}, unicode), near-miss names, a flag's own
 * {@code key=V} value.
 */
final class ArgvMix {
    /** A word put between a flag and an override that would otherwise be read as the flag's value. */
    static final String SEPARATOR = "train.py";

    private ArgvMix() {
    }

    /**
     * One or two arguments and whose they are: {@code kind} is "kept" for arguments the fix must
     * not touch, else the fix's name for what it owns; {@code args[valueAt]} is {@code prefix}
     * followed by the owned value ({@code valueAt} is -1 where there is no value).
     */
    record Part(String kind, List<String> args, int valueAt, String prefix) {
        static Part kept(String... args) {
            return new Part("kept", List.of(args), -1, "");
        }

        boolean owned() {
            return !kind.equals("kept");
        }

        String value() {
            return args.get(valueAt).substring(prefix.length());
        }

        /** The part with its value replaced. */
        List<String> with(String newValue) {
            List<String> out = new ArrayList<>(args);
            out.set(valueAt, prefix + newValue);
            return out;
        }
    }

    /** A command line built from parts. */
    record Command(List<Part> parts) {
        List<String> argv() {
            return expected(Part::args);
        }

        List<Part> owned(String kind) {
            return parts.stream().filter(p -> p.kind().equals(kind)).toList();
        }

        /**
         * The values the owned parts have in {@code next}, an argv of this one's shape, in order;
         * null where a part's prefix is gone.
         */
        IdentityHashMap<Part, String> valuesIn(List<String> next) {
            IdentityHashMap<Part, String> out = new IdentityHashMap<>();
            int at = 0;
            for (Part p : parts) {
                if (p.owned() && p.valueAt() >= 0 && at + p.valueAt() < next.size()) {
                    String a = next.get(at + p.valueAt());
                    out.put(p, a.startsWith(p.prefix()) ? a.substring(p.prefix().length()) : null);
                }
                at += p.args().size();
            }
            return out;
        }

        /** The argv with each owned part as {@code rewrite} makes it and every other argument as it is. */
        List<String> expected(Function<Part, List<String>> rewrite) {
            List<String> out = new ArrayList<>();
            for (Part p : parts) {
                out.addAll(p.owned() ? rewrite.apply(p) : p.args());
            }
            return out;
        }
    }

    /**
     * What a fix owns, as the catalog lists it: flags by exact spelling, keys by the last part of
     * an override; {@code valued} is false for switches (flags without a value).
     */
    record Owns(Set<String> flags, Set<String> keys, boolean valued) {
        static Owns of(Collection<String> flags, Collection<String> keys) {
            return new Owns(Set.copyOf(flags), Set.copyOf(keys), true);
        }

        static Owns switches(Collection<String> flags) {
            return new Owns(Set.copyOf(flags), Set.of(), false);
        }

        /**
         * True when {@code arg} might be owned: a flag named exactly, or anything whose last
         * dotted name part is a key. Broader than the rule, so arguments it lets through are surely not owned.
         */
        boolean mayOwn(String arg) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String last = name.substring(name.lastIndexOf('.') + 1).replaceFirst("^[-+~]+", "");
            return flags.contains(name) || keys.contains(last);
        }
    }

    /** Commands of {@code program} followed by a mix of {@code owned} parts and parts none of {@code owns} owns. */
    static Arbitrary<Command> commands(List<String> program, Arbitrary<Part> owned, List<Owns> owns) {
        Arbitrary<Part> kept = kept(owns);
        return Arbitraries.frequencyOf(Tuple.of(2, owned), Tuple.of(3, kept)).list().ofMaxSize(10)
                .map(parts -> assemble(program, parts));
    }

    /** The parts in order, a separator put where a flag would take the next part's override as its value. */
    static Command assemble(List<String> program, List<Part> parts) {
        List<Part> all = new ArrayList<>();
        all.add(new Part("kept", program, -1, ""));
        String last = program.get(program.size() - 1);
        for (Part p : parts) {
            String first = p.args().get(0);
            if (last.startsWith("-") && last.indexOf('=') < 0 && !first.startsWith("-")) {
                all.add(Part.kept(SEPARATOR));
            }
            all.add(p);
            last = p.args().get(p.args().size() - 1);
        }
        return new Command(all);
    }

    /** Each spelling of an owned value: {@code values} given by one of {@code flags}, or by an override of one of {@code keys}. */
    static Arbitrary<Part> owned(String kind, Collection<String> flags, Collection<String> keys, Arbitrary<String> values) {
        List<Arbitrary<Part>> forms = new ArrayList<>();
        if (!flags.isEmpty()) {
            Arbitrary<String> flag = Arbitraries.of(List.copyOf(flags));
            forms.add(Combinators.combine(flag, values).as((f, v) -> new Part(kind, List.of(f, v), 1, "")));
            forms.add(Combinators.combine(flag, values).as((f, v) -> new Part(kind, List.of(f + "=" + v), 0, f + "=")));
        }
        if (!keys.isEmpty()) {
            Arbitrary<String> key = Combinators.combine(Arbitraries.of("", "model.", "data.init_args.", "+", "++trainer.", "+a.b."),
                    Arbitraries.of(List.copyOf(keys))).as(String::concat);
            Arbitrary<String> dotted = Combinators.combine(Arbitraries.of("--model.", "--data.init_args.", "--trainer."),
                    Arbitraries.of(List.copyOf(keys))).as(String::concat);
            forms.add(Combinators.combine(key, values).as((k, v) -> new Part(kind, List.of(k + "=" + v), 0, k + "=")));
            // Hydra's own switches are followed by overrides, not values
            forms.add(Combinators.combine(Arbitraries.of("-m", "--multirun"), key, values)
                    .as((m, k, v) -> new Part(kind, List.of(m, k + "=" + v), 1, k + "=")));
            forms.add(Combinators.combine(dotted, values).as((k, v) -> new Part(kind, List.of(k, v), 1, "")));
            forms.add(Combinators.combine(dotted, values).as((k, v) -> new Part(kind, List.of(k + "=" + v), 0, k + "=")));
        }
        return Arbitraries.oneOf(forms);
    }

    /** Arguments none of {@code owns} owns: random ones, near misses of the owned names, owned names without a value. */
    static Arbitrary<Part> kept(List<Owns> owns) {
        List<String> names = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> valueFlags = new ArrayList<>();
        for (Owns o : owns) {
            names.addAll(o.flags());
            names.addAll(o.keys());
            keys.addAll(o.keys());
            if (o.valued()) {
                valueFlags.addAll(o.flags());
            }
        }
        Arbitrary<String> name = Arbitraries.of(names);
        Arbitrary<String> random = Arbitraries.strings()
                .withCharRange('a', 'z').withCharRange('0', '9').withChars("-_=.+~/ '\"$()*;|&\\\téü—中\n")
                .ofMaxLength(16);
        Arbitrary<String> tricky = Arbitraries.of("", "-", "--", "=", "==8", "--=8", "-=8", "+=8", "~", "a=b=c", "$(rm -rf ~)",
                "'--batch-size 8'", "\"lr=0.1\"", "--x.y=z", "8", "-8", "0.5", "cuda", "--fp16x", "None");
        Arbitrary<String> nearMiss = Combinators.combine(name, Arbitraries.of("-ish", "s", "_x", "2", ".x", "=")).as(String::concat)
                .map(s -> s.endsWith("=") ? s.substring(0, s.length() - 1) + "_other=4" : s);
        Arbitrary<String> otherCase = name.map(n -> n.chars().anyMatch(Character::isLowerCase)
                ? n.toUpperCase(Locale.ROOT) : n.toLowerCase(Locale.ROOT));
        Arbitrary<String> dashed = name.map(n -> n.replace('-', '\u2014').replace('_', '-'));
        Arbitrary<String> one = Arbitraries.oneOf(random, tricky, nearMiss, otherCase, dashed)
                .filter(a -> owns.stream().noneMatch(o -> o.mayOwn(a)));
        Arbitrary<Part> single = one.map(Part::kept);
        // "--tag batch_size=8": the value of --tag, not an override
        Arbitrary<Part> flagValue = keys.isEmpty() ? single : Combinators.combine(Arbitraries.of("--tag", "--name", "-x", "--run-name"),
                Arbitraries.of(keys), Arbitraries.of("8", "0.5", "cuda", "16")).as((f, k, v) -> Part.kept(f, k + "=" + v));
        // an owned flag without its value: the flag after it is not its value
        Arbitrary<Part> noValue = valueFlags.isEmpty() ? single : Combinators.combine(Arbitraries.of(valueFlags),
                Arbitraries.of("--epochs", "--verbose", "--seed")).as(Part::kept);
        return Arbitraries.frequencyOf(Tuple.of(8, single), Tuple.of(1, flagValue), Tuple.of(1, noValue));
    }
}
