package dev.gradbook.nn.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how a long loop is doing: step, smoothed loss, throughput, elapsed time and time left.
 * <pre>{@code
 * var progress = new ProgressReporter("train", steps);
 * for (int step = 1; step <= steps; step++) {
 *     float loss = trainStep(batch);
 *     progress.update(step, loss, batchSize);      // steps done so far, this step's loss and items
 * }
 * progress.finish();
 * }</pre>
 * prints, on one line rewritten in place with {@code '\r'},
 * <pre>
 *   train  120/1000 (12%) | loss 2.3412 | 5.2k items/s | 0:12 elapsed, 1:30 left
 * </pre>
 * and at the end a summary line. Where it writes depends on the {@link Mode}: a terminal gets
 * the live line (redrawn at most ten times a second), a log file or pipe gets a plain line at
 * every tenth of the run, and nothing is printed when the system property
 * {@code gradbook.quiet} is {@code true} (the test suite sets it).
 *
 * <p>The loss shown is an exponential moving average with decay {@value #SMOOTHING}, divided by
 * {@code 1 - 0.9^n} after {@code n} updates so that the first values are not pulled toward 0
 * (the same bias correction as Adam's moments).
 */
public final class ProgressReporter {
    /** How the reporter writes. */
    public enum Mode {
        /** One status line redrawn in place with '\r'. */
        TERMINAL,
        /** Separate lines, about ten per run: for logs, pipes and CI. */
        LINES,
        /** Nothing at all. */
        QUIET
    }

    static final double SMOOTHING = 0.9;
    /** Steps timed before the time left is shown: the first ones run while the JIT compiles. */
    private static final int MIN_TIMED_STEPS = 5;
    private static final long REDRAW_NANOS = 100_000_000L;      // terminal: at most 10 redraws a second
    private static final long LINE_EVERY_NANOS = 10_000_000_000L; // lines, when the total is unknown

    private final String label;
    private final long totalSteps;
    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final long startNanos;

    private long step;
    private long updates;
    private long items;
    private double lastLoss = Double.NaN;
    private double lossAverage;
    private long lastPrintNanos;
    private long lastUpdateNanos;
    private double stepTimeAverage;
    private long timedUpdates;
    private long lastPrintedTenth = -1;
    private int lastWidth;

    /** A reporter on standard error, in the {@link #defaultMode()}, for {@code totalSteps} (0 if unknown). */
    public ProgressReporter(String label, long totalSteps) {
        this(label, totalSteps, System.err, defaultMode(), System::nanoTime);
    }

    /** Full control, for tests and embedding: where to print, how, and which clock (in nanoseconds). */
    public ProgressReporter(String label, long totalSteps, PrintStream out, Mode mode, LongSupplier nanoClock) {
        if (totalSteps < 0) {
            throw new IllegalArgumentException("ProgressReporter: totalSteps must be >= 0 (0: unknown), got "
                    + totalSteps);
        }
        this.label = label;
        this.totalSteps = totalSteps;
        this.out = out;
        this.mode = mode;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastUpdateNanos = startNanos;
        this.lastPrintNanos = startNanos;
    }

    /** QUIET if {@code -Dgradbook.quiet=true}, TERMINAL on an interactive console, LINES otherwise. */
    public static Mode defaultMode() {
        if (Boolean.getBoolean("gradbook.quiet")) {
            return Mode.QUIET;
        }
        return isInteractive() ? Mode.TERMINAL : Mode.LINES;
    }

    private static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 a console exists even when output is redirected; Console.isTerminal() (JDK 22+)
        // tells the two apart. We compile for 17, so ask for it by name where it exists.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;   // before JDK 22 a console is only returned for a terminal
        }
    }

    /** Records that {@code step} steps are done, the last with loss {@code loss}. */
    public void update(long step, double loss) {
        update(step, loss, 0);
    }

    /** As {@link #update(long, double)}, with the number of items (examples, tokens) in this step. */
    public void update(long step, double loss, long itemsThisStep) {
        long now = nanoClock.getAsLong();
        if (step > this.step && updates > 0) {     // the first step also timed the set-up: left out
            double secondsPerStep = (now - lastUpdateNanos) / 1e9 / (step - this.step);
            stepTimeAverage = SMOOTHING * stepTimeAverage + (1 - SMOOTHING) * secondsPerStep;
            timedUpdates++;
        }
        lastUpdateNanos = now;
        this.step = step;
        this.items += itemsThisStep;
        this.updates++;
        this.lastLoss = loss;
        this.lossAverage = SMOOTHING * lossAverage + (1 - SMOOTHING) * loss;
        if (mode == Mode.QUIET) {
            return;
        }
        boolean last = totalSteps > 0 && step >= totalSteps;
        if (mode == Mode.TERMINAL) {
            if (last || now - lastPrintNanos >= REDRAW_NANOS) {
                redraw(statusLine());
                lastPrintNanos = now;
            }
        } else {
            long tenth = totalSteps > 0 ? step * 10 / totalSteps : -1;
            boolean due = totalSteps > 0 ? tenth > lastPrintedTenth : now - lastPrintNanos >= LINE_EVERY_NANOS;
            if (due) {
                out.println(statusLine());
                lastPrintedTenth = tenth;
                lastPrintNanos = now;
            }
        }
    }

    /** Prints a message on a line of its own (below the status line on a terminal). */
    public void log(String message) {
        if (mode == Mode.QUIET) {
            return;
        }
        if (mode == Mode.TERMINAL && lastWidth > 0) {
            out.print('\r' + " ".repeat(lastWidth) + '\r');
            lastWidth = 0;
        }
        out.println(message);
    }

    /** Prints (unless quiet) and returns the summary: steps, time, final smoothed loss, throughput. */
    public String finish() {
        double seconds = elapsedSeconds();
        String summary = String.format(Locale.ROOT, "%s  done: %,d steps in %s | loss %s | %s", label, step,
                formatDuration(seconds), formatLoss(smoothedLoss()), throughput(seconds));
        if (mode == Mode.TERMINAL) {
            redraw(summary);
            out.println();
            lastWidth = 0;
        } else if (mode == Mode.LINES) {
            out.println(summary);
        }
        return summary;
    }

    /** The current status, e.g. {@code "train  120/1000 (12%) | loss 2.3412 | 5.2k items/s | 0:12 elapsed, 1:30 left"}. */
    public String statusLine() {
        double seconds = elapsedSeconds();
        StringBuilder sb = new StringBuilder(label).append("  ");
        if (totalSteps > 0) {
            sb.append(String.format(Locale.ROOT, "%d/%d (%d%%)", step, totalSteps, step * 100 / totalSteps));
        } else {
            sb.append("step ").append(step);
        }
        sb.append(" | loss ").append(formatLoss(smoothedLoss()));
        sb.append(" | ").append(throughput(seconds));
        sb.append(" | ").append(formatDuration(seconds)).append(" elapsed");
        if (totalSteps > 0 && step < totalSteps && timedUpdates >= MIN_TIMED_STEPS) {
            sb.append(", ").append(formatDuration(secondsPerStep() * (totalSteps - step))).append(" left");
        }
        return sb.toString();
    }

    /** The bias-corrected moving average of the losses so far (NaN before the first update). */
    public double smoothedLoss() {
        return updates == 0 ? Double.NaN : lossAverage / (1 - Math.pow(SMOOTHING, updates));
    }

    /**
     * The recent time per step: a moving average like the loss's, so that the time left follows
     * the current speed. (The average since the start would keep the first steps' JIT warm-up,
     * ten times slower than the rest, in every estimate.) The first update is left out, and no
     * estimate is shown before {@value #MIN_TIMED_STEPS} steps are timed.
     */
    private double secondsPerStep() {
        return stepTimeAverage / (1 - Math.pow(SMOOTHING, timedUpdates));
    }

    /** The loss passed to the latest update. */
    public double lastLoss() {
        return lastLoss;
    }

    private void redraw(String line) {
        int pad = Math.max(0, lastWidth - line.length());   // blank out the rest of a longer old line
        out.print('\r' + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    private double elapsedSeconds() {
        return (nanoClock.getAsLong() - startNanos) / 1e9;
    }

    private String throughput(double seconds) {
        double perSecond = seconds > 0 ? (items > 0 ? items : step) / seconds : 0;
        return formatCount(perSecond) + (items > 0 ? " items/s" : " steps/s");
    }

    static String formatLoss(double loss) {
        return Double.isFinite(loss) ? String.format(Locale.ROOT, "%.4f", loss) : String.valueOf(loss);
    }

    /** 950 -> "950", 5234 -> "5.2k", 3.1e6 -> "3.1M". */
    static String formatCount(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", value / 1e6);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.0f" : "%.2f", value);
    }

    /** 75.4 s -> "1:15", 3725 s -> "1:02:05". */
    static String formatDuration(double seconds) {
        long s = Double.isFinite(seconds) ? Math.round(Math.max(seconds, 0)) : 0;
        long h = s / 3600;
        long m = s / 60 % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", m, s % 60);
    }
}
