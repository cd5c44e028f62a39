package dev.medic.supervise;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.RunningAttempt;

import java.time.Duration;

/** A real attempt seen through a hand-written change: tests override what a scheduler would report differently. */
class ForwardingAttempt implements RunningAttempt {
    protected final RunningAttempt real;

    ForwardingAttempt(RunningAttempt real) {
        this.real = real;
    }

    @Override
    public long pid() {
        return real.pid();
    }

    @Override
    public boolean started() {
        return real.started();
    }

    @Override
    public ExitStatus exitStatus() {
        return real.exitStatus();
    }

    @Override
    public boolean awaitOutput(Duration timeout) throws InterruptedException {
        return real.awaitOutput(timeout);
    }

    @Override
    public void stop(Duration grace) throws InterruptedException {
        real.stop(grace);
    }

    @Override
    public void abandonOutput() {
        real.abandonOutput();
    }

    @Override
    public void release() {
        real.release();
    }

    @Override
    public java.util.Map<String, Object> adoptionFields() {
        return real.adoptionFields();
    }

    @Override
    public void journaled() {
        real.journaled();
    }
}
