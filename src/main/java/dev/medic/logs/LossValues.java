package dev.medic.logs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a training line says of its loss, for rules that weigh a NaN elsewhere on the line. */
public final class LossValues {
    // loss: 1.9 / 'loss': 0.52 / loss=3e-2 / "loss": "1.2" / train_loss_step=2.31 / val_loss: 0.4; not
    // loss_scale or loss_ce (a part of the loss is not the loss)
    private static final Pattern FINITE_LOSS = Pattern.compile(
            "(?i)(?<![\\w])(?:[a-z]+_)?loss(?:_step|_epoch)?['\"]?\\s{0,3}[:=]?\\s{0,3}['\"]?"
                    + "(?<value>[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?)(?![\\w.])");

    private LossValues() {
    }

    /**
     * True when the line gives a loss that is a finite number other than zero. A loss of exactly 0
     * beside a NaN gradient norm is a model that collapsed, not a step the scaler skipped.
     */
    public static boolean hasFiniteLoss(String line) {
        Matcher m = FINITE_LOSS.matcher(line.length() > 4096 ? line.substring(0, 4096) : line);
        while (m.find()) {
            double v = Double.parseDouble(m.group("value"));
            if (v != 0 && Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }
}
