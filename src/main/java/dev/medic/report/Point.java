package dev.medic.report;

/** One progress record of an attempt: its step, and the loss and learning rate it showed (null when it did not; NaN and infinities as read). */
public record Point(int attempt, double step, Double loss, Double learningRate) {
}
