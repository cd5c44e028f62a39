package dev.medic.journal;

import dev.medic.logs.Redactor;
import dev.medic.util.PrivateFolder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The run's journal: one JSON object a line ({@code ts}, {@code event}, {@code attempt}, then the
 * event's fields), appended and flushed as each event happens, so a killed supervisor leaves a
 * valid file. It is opened in its run folder without following a link, and private. Every string
 * passes through the redactor first. Listeners (the console, metrics) see each record as the
 * event a reader of the file would get.
 */
public final class Journal implements AutoCloseable {
    private final Path path;
    private final OutputStream out;
    private volatile Redactor redactor;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    public Journal(Path path, Redactor redactor) throws IOException {
        this.path = path;
        PrivateFolder folder = PrivateFolder.of(path.toAbsolutePath().getParent(), PrivateFolder.RUN_FOLDER);
        this.out = Channels.newOutputStream(folder.append(path));
        this.redactor = redactor;
    }

    public Path path() {
        return path;
    }

    /** What the journal masks now. */
    public synchronized Redactor redactor() {
        return redactor;
    }

    public synchronized void setRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    public void addListener(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Writes {@code e}, stamped with the time now. */
    public void write(Event e) {
        record(e.kind(), e.attempt(), JournalCodec.fields(e));
    }

    /** Writes one record of {@code event}'s kind; {@code fields} keep their order. Returns the record as written. */
    synchronized Map<String, Object> record(String event, int attempt, Map<String, ?> fields) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("ts", Instant.now().toString());
        rec.put("event", event);
        rec.put("attempt", attempt);
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            rec.put(e.getKey(), redactValue(e.getValue()));
        }
        String text = JsonLine.encode(rec);
        try {
            // one write per record: a kill between records never leaves half a line
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + path + ": " + e.getMessage(), e);
        }
        if (!listeners.isEmpty()) {
            // read back from its line, so a listener sees the record exactly as any later reader of the file will
            Event e = JournalCodec.decodeOwn(text);
            for (Consumer<Event> l : listeners) {
                l.accept(e);
            }
        }
        return rec;
    }

    private Object redactValue(Object v) {
        if (v instanceof String s) {
            return redactor.redact(s);
        }
        if (v instanceof Path p) {
            // a Path is Iterable over its names (each itself a Path): it is written as its text
            return redactor.redact(p.toString());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(redactor.redact(String.valueOf(k)), redactValue(val)));
            return copy;
        }
        if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            // an argv: the value after --password is a secret by its place
            @SuppressWarnings("unchecked")
            List<String> argv = (List<String>) list;
            return redactor.redactArgv(argv);
        }
        if (v instanceof Iterable<?> it) {
            List<Object> copy = new ArrayList<>();
            it.forEach(x -> copy.add(redactValue(x)));
            return copy;
        }
        if (v == null || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        return redactor.redact(v.toString());
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
