package dev.medic.progress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a training run is, as far as its output says: each field is null when unknown. Values are
 * what the log prints: {@code step} is a progress bar's count or the trainer's global step,
 * {@code epoch} may be fractional (Hugging Face), and a loss of NaN or infinity is kept, since it
 * is the most important thing the line says.
 *
 * @param throughputUnit the unit the log gives its rate in ({@code it/s}, {@code s/it},
 *                       {@code samples/s}, {@code ms/it}, ...); set exactly when {@code throughput} is
 */
public record Progress(Long step, Long totalSteps, Double epoch, Long totalEpochs, Double loss, Double learningRate,
                       Double throughput, String throughputUnit) {
    /** Nothing known. */
    public static final Progress NONE = new Progress(null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * This progress laid over an earlier one: each field this one knows, else the earlier one's.
     * A rate and its unit go together.
     */
    public Progress over(Progress earlier) {
        boolean rate = throughput != null;
        return new Progress(or(step, earlier.step), or(totalSteps, earlier.totalSteps), or(epoch, earlier.epoch),
                or(totalEpochs, earlier.totalEpochs), or(loss, earlier.loss), or(learningRate, earlier.learningRate),
                rate ? throughput : earlier.throughput, rate ? throughputUnit : earlier.throughputUnit);
    }

    /** True when this one's step or epoch is past {@code earlier}'s (a first known step or epoch counts). */
    public boolean advancesFrom(Progress earlier) {
        return ahead(step, earlier.step) || ahead(epoch, earlier.epoch);
    }

    /**
     * The known fields, in the shape the journal writes them: {@code step}, {@code total_steps},
     * {@code epoch}, {@code total_epochs}, {@code loss}, {@code learning_rate}, {@code throughput},
     * {@code throughput_unit}. Numbers stay Long or Double (a NaN loss is {@link Double#NaN};
     * Jackson writes it as the string {@code "NaN"}).
     */
    public Map<String, Object> toFields() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "step", step);
        put(out, "total_steps", totalSteps);
        put(out, "epoch", epoch);
        put(out, "total_epochs", totalEpochs);
        put(out, "loss", loss);
        put(out, "learning_rate", learningRate);
        put(out, "throughput", throughput);
        put(out, "throughput_unit", throughputUnit);
        return out;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <T extends Comparable<T>> boolean ahead(T now, T before) {
        return now != null && (before == null || now.compareTo(before) > 0);
    }
}
