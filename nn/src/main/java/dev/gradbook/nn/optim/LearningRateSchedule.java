package dev.gradbook.nn.optim;

/**
 * A learning rate as a function of the step: {@code lr = at(t)} for the update numbered
 * {@code t = 0, 1, 2, ...}. Schedules are pure functions of {@code t} (no hidden state, unlike
 * PyTorch's {@code scheduler.step()}), so a resumed run needs nothing but the optimizer's step
 * count to continue the schedule exactly.
 * <pre>{@code
 * var schedule = new WarmupCosine(6e-4f, 6e-5f, 100, 5000);
 * for (...) {
 *     schedule.applyTo(optimizer);     // lr for this update
 *     loss.backward();
 *     optimizer.step();
 * }
 * }</pre>
 */
public interface LearningRateSchedule {
    /** The learning rate for update number {@code step} (the first update is step 0). */
    float at(long step);

    /** Sets the optimizer's rate for its next update, {@code at(optimizer.steps())}, and returns it. */
    default float applyTo(Optimizer optimizer) {
        float lr = at(optimizer.steps());
        optimizer.setLearningRate(lr);
        return lr;
    }
}
