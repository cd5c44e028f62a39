package dev.medic.rules;

/**
 * The phases of judging an attempt, each an agenda group of the rules files (references/
 * rule-authoring.md, "The phases"). The DRL names the groups; this is the one place Java does.
 */
public enum Phase {
    /** The main group: detection, after each line and at the attempt's end ({@code detect*.drl}). */
    DETECT("MAIN"),
    /** Marks consequences and the root failure ({@code root.drl}). */
    ROOT("root"),
    /** Walks the root failure's ladder to one decision ({@code choose.drl}). */
    CHOOSE("choose");

    private final String agendaGroup;

    Phase(String agendaGroup) {
        this.agendaGroup = agendaGroup;
    }

    String agendaGroup() {
        return agendaGroup;
    }
}
