package dev.medic.discover;

import dev.medic.facts.RunSpec;
import dev.medic.journal.Event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Learns which flags a run's program accepts: its entry script's source first, its --help when
 * the source is not conclusive. Learnt once per script (path and SHA-256 of its content): kept
 * here for the run and in {@code <run>/discovered/<hash>.json}, and told once to {@code events}
 * (the journal's {@code flags_discovered}: script, method, flags count, or why nothing was learnt).
 */
public final class FlagDiscovery implements FlagSource {
    private static final long MAX_SOURCE = 4L << 20;

    private final DiscoveryCache cache;
    private final HelpProbe probe;
    private final Consumer<Event.FlagsDiscovered> events;
    private final Map<String, ProgramFlags> learnt = new HashMap<>();

    /** {@code probe} null: the source alone (the attempts run elsewhere, where --help cannot run safely from here). */
    public FlagDiscovery(DiscoveryCache cache, HelpProbe probe, Consumer<Event.FlagsDiscovered> events) {
        this.cache = cache;
        this.probe = probe;
        this.events = events;
    }

    @Override
    public synchronized ProgramFlags flagsFor(RunSpec spec) {
        EntryScript entry = EntryScript.find(spec.getArgv(), spec.getWorkdir());
        if (entry == null) {
            return once("argv:" + spec.getArgv(), null, ProgramFlags.none(
                    "the command runs no Python script or module medic can find; not probed"));
        }
        String hash;
        String source;
        try {
            if (Files.size(entry.file()) > MAX_SOURCE) {
                return once("big:" + entry.file(), entry, ProgramFlags.none(entry.file() + " is over 4 MiB; not read"));
            }
            byte[] bytes = Files.readAllBytes(entry.file());
            hash = sha256(bytes);
            source = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return once("unreadable:" + entry.file(), entry, ProgramFlags.none("cannot read " + entry.file() + ": " + e.getMessage()));
        }
        String key = entry.file() + "@" + hash;
        ProgramFlags known = learnt.get(key);
        if (known != null) {
            return known;
        }
        ProgramFlags flags = cache.load(hash, entry.file().toString());
        if (flags == null) {
            flags = learn(entry, source, spec);
            cache.save(hash, flags);
        }
        return once(key, entry, flags);
    }

    private ProgramFlags learn(EntryScript entry, String source, RunSpec spec) {
        ProgramFlags fromSource = SourceFlags.read(entry.file(), source);
        if (fromSource.discovered() && fromSource.why() == null) {
            return fromSource;
        }
        if (!ParserHints.parsesArguments(entry.file(), source)) {
            return ProgramFlags.none(fromSource.script(), fromSource.why()
                    + "; no sign of an argument parser in it or a module beside it, so --help is not run (it would just start)");
        }
        if (probe == null) {
            String why = (fromSource.why() == null ? "" : fromSource.why() + "; ") + "--help is only probed for the local backend";
            return fromSource.discovered() ? withWhy(fromSource, why) : ProgramFlags.none(fromSource.script(), why);
        }
        HelpProbe.Result help;
        try {
            help = probe.run(entry.helpArgv(), spec.getEnv(), spec.getWorkdir());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // no script: not kept, so a later run asks again
            return ProgramFlags.none("interrupted while probing --help");
        }
        if (help.help() == null) {
            // what the source showed stands, but nothing more is learnt (and a flag it could not name is not guessed)
            return fromSource.discovered() ? withWhy(fromSource, fromSource.why() + "; " + help.why())
                    : ProgramFlags.none(fromSource.script(), fromSource.why() + "; " + help.why());
        }
        ProgramFlags fromHelp = HelpFlags.read(entry.file(), help.help());
        return fromHelp.discovered() || !fromSource.discovered() ? fromHelp : fromSource;
    }

    private static ProgramFlags withWhy(ProgramFlags f, String why) {
        return new ProgramFlags(f.script(), f.method(), f.flags(), f.prefixes(), f.hydra(), f.hydraKeys(), why);
    }

    /** Remembers {@code flags} under {@code key} and tells the events the first time. */
    private ProgramFlags once(String key, EntryScript entry, ProgramFlags flags) {
        if (learnt.putIfAbsent(key, flags) == null) {
            // the attempt is the journal's to say
            events.accept(new Event.FlagsDiscovered(null, 0, entry == null ? null : entry.file().toString(), flags.method(), flags.count(),
                    flags.why()));
        }
        return learnt.get(key);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
