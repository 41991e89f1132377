package dev.gradbook.core.testing;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/** Assertions on tensors with messages that say where they differ. */
public final class TensorAssert {
    private TensorAssert() {
    }

    public static void assertShape(Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new AssertionError("expected shape " + Arrays.toString(expected) + " but was "
                    + Arrays.toString(t.shape()));
        }
    }

    public static void assertShape(IntTensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new AssertionError("expected shape " + Arrays.toString(expected) + " but was "
                    + Arrays.toString(t.shape()));
        }
    }

    /** Exactly these indices, in row-major order. */
    public static void assertIndices(IntTensor t, int... expected) {
        if (!Arrays.equals(t.data(), expected)) {
            throw new AssertionError("expected indices " + Arrays.toString(expected) + " but was "
                    + Arrays.toString(t.data()) + " (shape " + Arrays.toString(t.shape()) + ")");
        }
    }

    /** Every element within {@code tol * max(1, |expected|)} of the expected value (NaN matches NaN). */
    public static void assertValues(Tensor t, double tol, double... expected) {
        float[] actual = t.data();
        if (actual.length != expected.length) {
            throw new AssertionError("expected " + expected.length + " values but the tensor of shape "
                    + Arrays.toString(t.shape()) + " has " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean bothNaN = Double.isNaN(e) && Double.isNaN(a);
            boolean sameInfinity = Double.isInfinite(e) && e == a;
            if (!bothNaN && !sameInfinity && !(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
                throw new AssertionError("element " + i + " " + Arrays.toString(Reference.unravel(i, t.shape()))
                        + ": expected " + e + " but was " + a + " (tolerance " + tol + ")");
            }
        }
    }

    public static void assertValues(Tensor t, double tol, float[] expected) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertValues(t, tol, e);
    }

    /** Same shape and values within {@code tol * max(1, |expected|)}. */
    public static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertShape(actual, expected.shape());
        assertValues(actual, tol, expected.data());
    }

    /** Same shape and bit-for-bit equal values. */
    public static void assertBitsEqual(Tensor expected, Tensor actual) {
        assertShape(actual, expected.shape());
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError("element " + i + ": expected " + e[i] + " but was " + a[i]);
            }
        }
    }
}
