package dev.medic.notify;

import java.util.ArrayList;
import java.util.List;

/** The escalation as text: plain lines (webhooks, Slack's text field), or Telegram HTML cut into messages. */
final class MessageText {
    private MessageText() {
    }

    /** The plain lines, the first saying who speaks ("medic: run ... needs a person"). */
    static List<String> plainLines(Escalation e) {
        List<String> l = bodyLines(e);
        l.set(0, "medic: " + l.get(0));
        return l;
    }

    /**
     * The plain lines with no speaker: the console puts "medic: " before every line it prints, so
     * it takes these (the first line naming medic again read "medic: medic: run ...").
     */
    static List<String> bodyLines(Escalation e) {
        List<String> l = new ArrayList<>();
        l.add("run " + e.runId() + " on " + e.host() + " needs a person");
        l.add("failure: " + (e.failure() == null ? "none recognised" : e.failure()) + " — " + e.reason());
        l.add("command: " + e.command());
        for (String ev : e.evidence()) {
            l.add("evidence: " + ev);
        }
        l.addAll(e.attempts());
        l.add("ran for " + duration(e.durationMillis()));
        if (e.advice() != null && !e.advice().isBlank()) {
            l.add("advice: " + e.advice());
        }
        l.add("logs: " + e.runDir());
        return l;
    }

    static String plain(Escalation e) {
        return String.join("\n", plainLines(e));
    }

    /**
     * Telegram HTML, cut at line boundaries into messages of at most {@code limit} characters
     * (tags never straddle a cut). Evidence comes before the attempt list, so a long run's history
     * is what moves to a later message, not the evidence.
     */
    static List<String> telegramHtml(Escalation e, int limit) {
        List<String> lines = new ArrayList<>();
        lines.add("<b>medic: run " + esc(e.runId()) + " on " + esc(e.host()) + " needs a person</b>");
        lines.add("<b>" + esc(e.failure() == null ? "unrecognised failure" : e.failure()) + "</b>: " + esc(e.reason()));
        lines.add("command: <code>" + esc(e.command()) + "</code>");
        for (String ev : e.evidence()) {
            lines.add("<code>" + esc(ev) + "</code>");
        }
        for (String a : e.attempts()) {
            lines.add(esc(a));
        }
        lines.add("ran for " + duration(e.durationMillis()));
        if (e.advice() != null && !e.advice().isBlank()) {
            lines.add("<i>" + esc(e.advice()) + "</i>");
        }
        lines.add("logs: <code>" + esc(e.runDir()) + "</code>");
        List<String> messages = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : lines) {
            String piece = fit(line, limit);
            if (cur.length() > 0 && cur.length() + 1 + piece.length() > limit) {
                messages.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.length() > 0 ? "\n" : "").append(piece);
        }
        if (cur.length() > 0) {
            messages.add(cur.toString());
        }
        return messages;
    }

    /** A single line longer than a message is shortened, keeping its tags balanced. */
    private static String fit(String line, int limit) {
        if (line.length() <= limit) {
            return line;
        }
        boolean code = line.startsWith("<code>") && line.endsWith("</code>");
        String inner = code ? line.substring(6, line.length() - 7) : line.replaceAll("<[^>]+>", "");
        int room = limit - (code ? 13 : 0) - 1;
        // do not cut an entity (&amp;) in half
        int cut = room;
        int amp = inner.lastIndexOf('&', cut);
        if (amp >= 0 && inner.indexOf(';', amp) >= cut) {
            cut = amp;
        }
        String kept = inner.substring(0, cut) + "…";
        return code ? "<code>" + kept + "</code>" : kept;
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String duration(long ms) {
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 > 0 ? s % 60 + "s" : "");
        }
        return s / 3600 + "h" + (s % 3600 / 60 > 0 ? s % 3600 / 60 + "m" : "");
    }
}
