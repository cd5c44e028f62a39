package dev.medic.triage;

import dev.medic.catalog.Anchors;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogException;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.Signature;
import dev.medic.util.Signals;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A catalog entry drafted from an error line: a whole catalog file ({@code failures:} and one
 * entry), so that it can be saved as a file of its own in {@code catalog/} (catalog files are
 * merged) or its entry pasted into {@code failures.yaml}. The entry is not retryable, escalates,
 * and counts its lines only when the attempt failed ({@code when: failed}): a drafted pattern
 * must not turn a healthy run that prints the same words into a failed one. Its id comes from the
 * exception type and the first words of the message. {@link #check} loads it with medic's own
 * catalog loader and tries its signature on lines it must find; a draft that fails says why.
 */
public record CatalogDraft(String id, String pattern, String yaml) {
    /** Longest drafted pattern, in regex characters (the catalog takes up to 2000). */
    static final int MAX_PATTERN = 400;
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** An exception type in a masked line; group 1 is its simple name, where the drafted pattern starts. */
    private static final Pattern TYPE = Pattern.compile("(?<![\\w.])(?:[A-Za-z_]\\w*\\.)*([A-Za-z_]\\w*(?:Error|Exception))(?=:|\\s|$)");
    private static final Pattern MASK = Pattern.compile("<(?:n|hex|id|time|ip|path|str)>");
    private static final int MAX_BASE_ID = 48;

    /**
     * The draft for a masked line and the lines it stands for (the group's, the line itself). The
     * pattern starts at the exception type when the line has one (a rank or time prefix before it
     * varies with the launcher). It is the plain {@link MaskedLine#regex} when that finds every one
     * of {@code lines}, else the general one.
     *
     * @param taken ids in use (the catalog's, other drafts'): the id gets a number when it clashes
     * @param why   comments for a person reading the draft (may be empty)
     */
    public static CatalogDraft forLine(MaskedLine masked, List<String> lines, Set<String> taken, List<String> why) {
        MaskedLine from = masked;
        Matcher t = TYPE.matcher(masked.text());
        String type = null;
        if (t.find()) {
            int piece = masked.pieceAt(t.start(1));
            if (piece >= 0 && masked.pieces().get(piece).kind() == MaskedLine.Kind.LITERAL) {
                from = masked.dropFirst(piece, t.start(1) - masked.offsetOf(piece));
                type = t.group(1);
            }
        }
        String pattern = from.regex(0, MAX_PATTERN, true);
        Pattern plain = Pattern.compile(pattern);
        if (!lines.stream().allMatch(l -> plain.matcher(l).find())) {
            pattern = from.regex(0, MAX_PATTERN, false);
        }
        String rest = type == null ? masked.text() : masked.text().substring(t.end());
        String id = unique(baseId(type, rest), taken);
        List<String> notes = new ArrayList<>(why);
        if (Anchors.derive(pattern).isEmpty()) {
            notes.add("the pattern has no literal of 3 or more characters: it is tried on every line (medic check warns)");
        }
        String signature = "      - pattern: " + quote(pattern) + "\n";
        return new CatalogDraft(id, pattern, yaml(id, PatternText.printable(cut(masked.text(), 100)), notes, signature));
    }

    /**
     * The draft for attempts that printed nothing: a signature on how they ended ({@code signal:
     * KILL}, {@code exit_codes: [3]}); null when the exit status is not known either.
     */
    public static CatalogDraft forExit(Occurrence.Exit exit, Set<String> taken) {
        String signature;
        String base;
        if (exit.signal() != null && Signals.isKnownName(exit.signal())) {
            signature = "      - signal: " + exit.signal() + "\n";
            base = "silent_" + exit.signal().toLowerCase(Locale.ROOT);
        } else if (exit.code() != null && exit.code() >= -255 && exit.code() <= 255) {
            signature = "      - exit_codes: [" + exit.code() + "]\n";
            base = "silent_exit_" + Math.abs(exit.code());
        } else {
            return null;
        }
        String id = unique(base, taken);
        return new CatalogDraft(id, null, yaml(id, "ends with " + exit.describe() + " and prints nothing",
                List.of("the attempts printed nothing: this signature matches how they ended, whatever the command"), signature));
    }

    /**
     * Null when the draft loads with medic's catalog loader (as a catalog file of its own) and its
     * signature finds each of {@code lines}; else what is wrong.
     */
    public String check(List<String> lines) {
        Catalog c;
        try {
            c = new CatalogLoader().load(new SourceSet("draft", "medic triage", List.of(new SourceFile("draft.yaml", "draft.yaml", yaml))));
        } catch (CatalogException e) {
            return "it does not load: " + e.getMessage();
        }
        CatalogEntry e = c.entry(id);
        if (e == null || e.getSignatures().size() != 1) {
            return "it does not load as one entry with one signature";
        }
        Signature s = e.getSignatures().get(0);
        for (String line : s.hasPattern() ? lines : List.<String>of()) {
            if (!s.matchesText(line)) {
                return "its pattern does not find: " + line;
            }
        }
        return null;
    }

    private static String yaml(String id, String description, List<String> notes, String signature) {
        StringBuilder b = new StringBuilder();
        b.append("failures:\n");
        b.append("  - id: ").append(id).append('\n');
        b.append("    description: ").append(quote(description)).append('\n');
        b.append("    retryable: false\n");
        b.append("    when: failed\n");
        for (String n : notes) {
            b.append("    # ").append(n).append('\n');
        }
        b.append("    signatures:\n").append(signature);
        b.append("    ladder:\n");
        b.append("      - escalate\n");
        b.append("    # escalation: what the person who gets the escalation should check or change\n");
        return b.toString();
    }

    /** {@code runtime_error} plus the first words of the message, lower_snake_case, at most {@link #MAX_BASE_ID} characters. */
    static String baseId(String type, String message) {
        List<String> parts = new ArrayList<>();
        int words = 5;
        if (type != null) {
            String t = snake(type);
            // a type name longer than an id may be is cut at a word
            while (t.length() > MAX_BASE_ID) {
                int cut = t.lastIndexOf('_', MAX_BASE_ID);
                t = cut > 0 ? t.substring(0, cut) : t.substring(0, MAX_BASE_ID);
            }
            parts.add(t);
            words = 4;
        }
        String plain = MASK.matcher(message).replaceAll(" ").toLowerCase(Locale.ROOT);
        int length = parts.isEmpty() ? 0 : parts.get(0).length();
        for (String w : plain.split("[^a-z0-9]+")) {
            if (words == 0 || w.isEmpty()) {
                continue;
            }
            if (length + 1 + w.length() > MAX_BASE_ID) {
                break;
            }
            parts.add(w);
            length += 1 + w.length();
            words--;
        }
        String id = String.join("_", parts);
        if (id.isEmpty()) {
            return "unrecognised_failure";
        }
        return Character.isLetter(id.charAt(0)) ? id : "failure_" + id;
    }

    /** {@code JSONDecodeError} -> {@code json_decode_error}. */
    static String snake(String camel) {
        String s = camel.replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2").replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT).replaceAll("_+", "_").replaceAll("^_|_$", "");
    }

    /** {@code base}, or {@code base_2}, {@code base_3}, ... whichever is not taken; a valid catalog id. */
    static String unique(String base, Set<String> taken) {
        String id = base;
        for (int n = 2; taken.contains(id); n++) {
            id = base + "_" + n;
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalStateException("drafted an invalid id: " + id);
        }
        return id;
    }

    /** A YAML single-quoted scalar: nothing in it is special but the quote, which is doubled. */
    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
