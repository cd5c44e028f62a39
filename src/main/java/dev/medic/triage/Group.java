package dev.medic.triage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Occurrences with one signature (their masked line), the latest of them as the example, and the
 * catalog entry drafted from it.
 *
 * @param occurrences oldest first
 * @param draft       null only for attempts with neither output nor an exit status
 * @param problem     why the draft failed its own check ({@link CatalogDraft#check}); null when it passed
 */
public record Group(String signature, List<Occurrence> occurrences, CatalogDraft draft, String problem) {
    private static final Comparator<Occurrence> BY_TIME = Comparator.comparing(Occurrence::seen,
            Comparator.nullsFirst(Comparator.naturalOrder()));

    public Group {
        occurrences = List.copyOf(occurrences);
    }

    /**
     * Groups {@code occurrences} by signature, most frequent first, then the most recently seen;
     * drafts an entry for each, with an id not in {@code taken} nor given to another group.
     */
    public static List<Group> of(List<Occurrence> occurrences, Set<String> taken) {
        Map<String, List<Occurrence>> bySignature = new LinkedHashMap<>();
        for (Occurrence o : occurrences) {
            bySignature.computeIfAbsent(o.signature(), k -> new ArrayList<>()).add(o);
        }
        List<List<Occurrence>> lists = new ArrayList<>(bySignature.values());
        lists.forEach(l -> l.sort(BY_TIME));
        lists.sort(Comparator.<List<Occurrence>>comparingInt(List::size).reversed()
                .thenComparing(l -> l.get(l.size() - 1), BY_TIME.reversed())
                .thenComparing(l -> l.get(0).signature()));
        Set<String> ids = new HashSet<>(taken);
        List<Group> groups = new ArrayList<>();
        for (List<Occurrence> l : lists) {
            groups.add(drafted(l, ids));
        }
        return groups;
    }

    private static Group drafted(List<Occurrence> list, Set<String> ids) {
        Occurrence example = list.get(list.size() - 1);
        List<String> lines = list.stream().filter(o -> o.line().kind() != ErrorLine.Kind.NO_OUTPUT)
                .map(o -> o.line().text()).distinct().toList();
        CatalogDraft draft;
        if (example.line().kind() == ErrorLine.Kind.NO_OUTPUT) {
            draft = CatalogDraft.forExit(example.exit(), ids);
        } else {
            List<String> why = example.line().kind() == ErrorLine.Kind.LAST
                    ? List.of("no line of the log looked like an error: this is its last line, and a pattern on it may match healthy output")
                    : List.of();
            draft = CatalogDraft.forLine(example.masked(), lines, ids, why);
        }
        String problem = null;
        if (draft != null) {
            ids.add(draft.id());
            problem = draft.check(lines);
        }
        return new Group(example.signature(), list, draft, problem);
    }

    public int count() {
        return occurrences.size();
    }

    /** The latest occurrence: its line is the example and the draft's source. */
    public Occurrence example() {
        return occurrences.get(occurrences.size() - 1);
    }

    /** The runs, each once, in the order of their first occurrence. */
    public List<String> runs() {
        return occurrences.stream().map(Occurrence::run).distinct().toList();
    }

    /** The failure ids among the occurrences (unknown, killed, code_bug), each once. */
    public List<String> failures() {
        return occurrences.stream().map(Occurrence::failure).distinct().sorted().toList();
    }

    public Instant firstSeen() {
        return occurrences.stream().map(Occurrence::seen).filter(Objects::nonNull).findFirst().orElse(null);
    }

    public Instant lastSeen() {
        return occurrences.get(occurrences.size() - 1).seen();
    }
}
