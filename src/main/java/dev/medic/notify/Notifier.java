package dev.medic.notify;

/** Tells a person that a run needs them. Implementations never throw and never block for long. */
public interface Notifier {
    String name();

    /** Sends the escalation; returns a one-line result for the journal ("sent", or what went wrong). */
    String send(Escalation escalation);
}
