package dev.medic.logs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a training line says of its loss, for rules that weigh a NaN elsewhere on the line. */
public final class LossValues {
    // loss: 1.9 / 'loss': 0.52 / loss=3e-2 / "loss": "1.2"; not loss_ce or val_loss's neighbours' names
    private static final Pattern FINITE_LOSS = Pattern.compile(
            "(?i)(?<![\\w])loss['\"]?\\s{0,3}[:=]?\\s{0,3}['\"]?[-+]?(\\d+(\\.\\d*)?|\\.\\d+)(e[-+]?\\d+)?(?![\\w.])");

    private LossValues() {
    }

    /** True when the line gives a loss that is a finite number. */
    public static boolean hasFiniteLoss(String line) {
        Matcher m = FINITE_LOSS.matcher(line.length() > 4096 ? line.substring(0, 4096) : line);
        return m.find();
    }
}
