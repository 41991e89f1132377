package dev.gradbook.core.testing;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Table-driven finite-difference gradient checks: one line per op.
 *
 * <pre>{@code
 * static Stream<GradCheckCases.Case> cases() {
 *     return Stream.of(
 *         grad("mul broadcast", in -> in[0].mul(in[1]), shape(2, 3), shape(3)),
 *         grad("log", in -> in[0].log(), shape(2, 3).positive()),
 *         grad("relu", in -> in[0].relu(), shape(2, 3).awayFrom(0f)));
 * }
 * }</pre>
 * feeds a test annotated {@code @ParameterizedTest(name = "{0}")} and {@code @MethodSource("cases")}
 * whose body is {@code c.check()}; core's {@code GradCheckTableTest} is the full example.
 *
 * <p>Each {@link Input} says how to draw one random input from a seeded {@link Rng} (standard normal
 * by default) and how to move it away from where the op has no derivative: {@link Input#positive()}
 * for log, sqrt and fractional powers, {@link Input#awayFrom(float...)} for kinks (relu at 0,
 * clamp at its edges), {@link #distinct(int...)} for max and min (no ties), {@link Input#onGrid}
 * for {@code maximum(a, b)} (a and b never within a step of each other). The seed is derived from
 * the case name, so every case sees the same inputs on every run.
 *
 * <p>Shared with the nn and transformer tests through core's test-jar.
 */
public final class GradCheckCases {
    /** Finite-difference step and tolerances used unless a case says otherwise (see {@link GradCheck}). */
    public static final double EPS = 1e-2;
    public static final double RTOL = 1e-2;
    public static final double ATOL = 1e-3;

    /**
     * How far {@link Input#awayFrom} keeps values from a kink: several finite-difference steps.
     * Kinks passed together should be at least {@code 4 * KINK_MARGIN} apart.
     */
    public static final float KINK_MARGIN = 0.1f;

    private GradCheckCases() {
    }

    /** A float-to-float function, for input transforms. */
    @FunctionalInterface
    public interface ValueMap {
        float apply(float x);
    }

    /** How to make one input: draw it from the generator, then transform it. */
    @FunctionalInterface
    public interface Source {
        Tensor draw(Rng rng);
    }

    /** One input of a case: a recipe for its values and whether its gradient is checked. */
    public record Input(String description, Source source, boolean requiresGrad) {

        /** Applies {@code f} to every drawn value. */
        public Input map(String what, ValueMap f) {
            Source inner = source;
            return new Input(description + "." + what, rng -> {
                Tensor drawn = inner.draw(rng);
                float[] x = drawn.toArray();
                for (int i = 0; i < x.length; i++) {
                    x[i] = f.apply(x[i]);
                }
                return Tensor.wrap(x, drawn.shape());
            }, requiresGrad);
        }

        /** Values in {@code [0.5, ...)}: for log, sqrt, fractional powers and denominators. */
        public Input positive() {
            return map("positive", x -> Math.abs(x) + 0.5f);
        }

        /** Values at least {@link #KINK_MARGIN} away from each of {@code kinks}. */
        public Input awayFrom(float... kinks) {
            float[] k = kinks.clone();
            return map("awayFrom" + Arrays.toString(k), x -> {
                for (float kink : k) {
                    if (Math.abs(x - kink) < KINK_MARGIN) {
                        x = x < kink ? kink - 2 * KINK_MARGIN : kink + 2 * KINK_MARGIN;
                    }
                }
                return x;
            });
        }

        /**
         * Values rounded to the grid {@code step * (j + phase)}. Two inputs with phases 0 and 0.5
         * are never closer than {@code step / 2}, so {@code maximum(a, b)} has no ties.
         */
        public Input onGrid(float step, float phase) {
            return map("onGrid(" + step + ", " + phase + ")", x -> (Math.round(x / step) + phase) * step);
        }

        /** The input is a constant: its gradient is not checked (the op's other branch is). */
        public Input constant() {
            return new Input(description + ".constant", source, false);
        }

        Tensor build(Rng rng) {
            Tensor t = source.draw(rng);
            return requiresGrad ? t.requiresGrad(true) : t;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** One row of a table: a name, the function of the inputs, the inputs and the tolerances. */
    public record Case(String name, Function<Tensor[], Tensor> f, List<Input> inputs,
                       double eps, double rtol, double atol) {

        /** The same case with other finite-difference settings. */
        public Case tolerance(double newEps, double newRtol, double newAtol) {
            return new Case(name, f, inputs, newEps, newRtol, newAtol);
        }

        /** The inputs, drawn with a seed derived from the name (stable across runs and JVMs). */
        public Tensor[] buildInputs() {
            Rng rng = new Rng(0x5EED_0000L + name.hashCode());
            Tensor[] built = new Tensor[inputs.size()];
            for (int i = 0; i < built.length; i++) {
                built[i] = inputs.get(i).build(rng);
            }
            return built;
        }

        /** Runs the finite-difference check; throws an {@link AssertionError} with the report if it fails. */
        public void check() {
            Tensor[] built = buildInputs();
            assertGradients(name, f, eps, rtol, atol, built);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------ building rows

    /** A row: {@code grad("mul broadcast", in -> in[0].mul(in[1]), shape(2, 3), shape(3))}. */
    public static Case grad(String name, Function<Tensor[], Tensor> f, Input... inputs) {
        return new Case(name, f, List.of(inputs), EPS, RTOL, ATOL);
    }

    /** A standard normal input of the given shape (no sizes: a 0-d scalar). */
    public static Input shape(int... dims) {
        int[] d = dims.clone();
        return new Input("randn" + Arrays.toString(d), rng -> Tensor.randn(rng, d), true);
    }

    /**
     * An input whose values are all different, at least 0.1 apart, in random order: for max,
     * min and anything else that must not see a tie.
     */
    public static Input distinct(int... dims) {
        int[] d = dims.clone();
        return new Input("distinct" + Arrays.toString(d), rng -> {
            int n = Arrays.stream(d).reduce(1, Math::multiplyExact);
            int[] order = rng.permutation(n);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = 0.1f * (order[i] - n / 2f);
            }
            return Tensor.wrap(x, d);
        }, true);
    }

    /** A fixed tensor as input (copied on every build), checked unless marked {@link Input#constant()}. */
    public static Input fixed(Tensor value) {
        Tensor copy = value.copy();
        return new Input("fixed" + Arrays.toString(copy.shape()), rng -> copy.copy(), true);
    }

    // ------------------------------------------------------------ checking

    /** Checks {@code f} at the given inputs with the default settings; fails with the report. */
    public static void assertGradients(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        assertGradients(name, f, EPS, RTOL, ATOL, inputs);
    }

    /**
     * Checks {@code f} at the given inputs. Also insists that the output is part of a graph (an op
     * that silently dropped its inputs would otherwise have nothing to compare) and that at least
     * one input requires a gradient.
     */
    public static void assertGradients(String name, Function<Tensor[], Tensor> f, double eps, double rtol,
                                       double atol, Tensor... inputs) {
        boolean anyChecked = false;
        for (Tensor t : inputs) {
            anyChecked |= t.requiresGrad();
        }
        if (!anyChecked) {
            throw new AssertionError(name + ": no input requires grad, nothing to check");
        }
        if (!Autograd.isGradEnabled()) {
            throw new AssertionError(name + ": gradients are disabled on this thread (inside a noGrad scope?)");
        }
        Tensor out = f.apply(inputs);
        if (!out.requiresGrad()) {
            throw new AssertionError(name + ": the output " + Arrays.toString(out.shape())
                    + " does not require grad: the op did not record its inputs");
        }
        GradCheck.Report report = GradCheck.check(f, eps, rtol, atol, inputs);
        if (!report.passed()) {
            StringBuilder sb = new StringBuilder(name).append(": ").append(report);
            for (int i = 0; i < inputs.length; i++) {
                sb.append("\n  input ").append(i).append(": ").append(inputs[i]);
            }
            throw new AssertionError(sb.toString());
        }
    }
}
