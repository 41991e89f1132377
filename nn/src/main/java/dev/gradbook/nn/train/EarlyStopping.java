package dev.gradbook.nn.train;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when a validation metric has not improved for {@code patience} evaluations
 * in a row (Prechelt 1998, "Early Stopping - But When?"), and remembers the best model seen.
 * <pre>{@code
 * var early = new EarlyStopping(5, 1e-4, EarlyStopping.Mode.MIN);
 * for (int epoch = 0; ; epoch++) {
 *     train(model);
 *     if (early.update(epoch, validationLoss(model), model)) break;
 * }
 * early.restoreBest(model);    // the weights of the best epoch, not the last
 * }</pre>
 * An evaluation counts as an improvement when it beats the best so far by more than
 * {@code minDelta}: {@code value < best - minDelta} in {@link Mode#MIN} (losses),
 * {@code value > best + minDelta} in {@link Mode#MAX} (accuracies). NaN never improves.
 */
public final class EarlyStopping {
    /** Whether smaller or larger values of the metric are better. */
    public enum Mode {
        MIN,
        MAX
    }

    private final int patience;
    private final double minDelta;
    private final Mode mode;

    private double best = Double.NaN;
    private long bestStep = -1;
    private int badEvaluations;
    private boolean improved;
    private Map<String, Tensor> bestState;

    /** Minimise, stopping after {@code patience} evaluations without any improvement. */
    public EarlyStopping(int patience) {
        this(patience, 0, Mode.MIN);
    }

    public EarlyStopping(int patience, double minDelta, Mode mode) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0, got " + minDelta);
        }
        if (mode == null) {
            throw new IllegalArgumentException("EarlyStopping: mode must not be null");
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.mode = mode;
    }

    /** Records {@code value} measured at {@code step}; returns true when training should stop. */
    public boolean update(long step, double value) {
        improved = isImprovement(value);
        if (improved) {
            best = value;
            bestStep = step;
            badEvaluations = 0;
        } else {
            badEvaluations++;
        }
        return shouldStop();
    }

    /** As {@link #update(long, double)}, and keeps a copy of {@code model}'s state when it improves. */
    public boolean update(long step, double value, Module model) {
        boolean stop = update(step, value);
        if (improved) {
            Map<String, Tensor> copy = new LinkedHashMap<>();
            model.stateDict().forEach((name, t) -> copy.put(name, t.copy()));
            bestState = copy;
        }
        return stop;
    }

    private boolean isImprovement(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (bestStep < 0) {
            return true;
        }
        return mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
    }

    /** True once {@code patience} evaluations in a row have not improved. */
    public boolean shouldStop() {
        return badEvaluations > 0 && badEvaluations >= patience;
    }

    /** Whether the latest evaluation was a new best. */
    public boolean improved() {
        return improved;
    }

    /** The best value so far (NaN before the first finite one). */
    public double bestValue() {
        return best;
    }

    /** The step of the best value (-1 before the first). */
    public long bestStep() {
        return bestStep;
    }

    /** Evaluations since the last improvement. */
    public int badEvaluations() {
        return badEvaluations;
    }

    /** The copied state of the best model, or null if no model was passed to an improving update. */
    public Map<String, Tensor> bestState() {
        return bestState;
    }

    /** Loads the best state back into {@code model}. */
    public void restoreBest(Module model) {
        if (bestState == null) {
            throw new IllegalStateException("EarlyStopping.restoreBest: no state was kept (pass the model to update)");
        }
        model.loadStateDict(bestState);
    }
}
