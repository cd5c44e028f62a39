package dev.medic.backend;

/**
 * Where a backend delivers an attempt's output as it is written. Each stream is delivered by one
 * thread at a time, in order; {@link #closed} comes once per stream, after its last bytes.
 */
public interface OutputSink {
    String STDOUT = "stdout";
    String STDERR = "stderr";

    void bytes(String stream, byte[] b, int off, int len);

    void closed(String stream);

    /** Called once when the attempt's main process has ended. */
    void exited();

    /**
     * Bytes of {@code stream} that are saved for good (a supervisor taking the attempt up again
     * would go on from there), so a backend may free what it keeps of them; -1 when unknown.
     */
    default long savedBytes(String stream) {
        return -1;
    }
}
