package dev.gradbook.core.kernels;

import java.lang.reflect.InvocationTargetException;

/**
 * Chooses the matrix-multiply kernel that the tensors use, and whether softmax and log-softmax
 * run as their readable composition or as one hand-written op.
 *
 * <p>The default, chosen once on first use, is {@link SimdKernel} on all processors when the JVM
 * was started with {@code --add-modules jdk.incubator.vector}, and otherwise the multithreaded
 * {@link EjmlKernel} with a one-line notice on {@code System.err}. System properties:
 * <ul>
 *   <li>{@code -Dgradbook.kernel=ejml} forces EJML ({@code simd}, the default, asks for SIMD);</li>
 *   <li>{@code -Dgradbook.softmax=fused} starts with the hand-written softmax ({@code composed}
 *       is the default; see {@link #useHandWrittenSoftmax});</li>
 *   <li>{@code -Dgradbook.threads=N} uses N threads for matrix products (default: every
 *       processor); {@link #setThreads} changes it while running;</li>
 *   <li>{@code -Dgradbook.quiet=true} silences the notice.</li>
 * </ul>
 *
 * <p>{@code SimdKernel} is only ever loaded by name: a class that mentions
 * {@code jdk.incubator.vector} fails to load when that module is missing, so no code path that
 * runs without the module may refer to it directly.
 */
public final class Kernels {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String SIMD_CLASS = "dev.gradbook.core.kernels.SimdKernel";

    private static volatile MatmulKernel chosen;
    private static volatile int threads = threadsProperty();
    private static boolean noticeShown;
    private static volatile boolean handWrittenSoftmax = softmaxProperty();

    private Kernels() {
    }

    /** The kernel used by tensor operations: the one set by {@link #setDefault}, else the automatic choice. */
    public static MatmulKernel defaultKernel() {
        MatmulKernel kernel = chosen;
        if (kernel == null) {
            synchronized (Kernels.class) {
                if (chosen == null) {
                    chosen = choose();
                }
                kernel = chosen;
            }
        }
        return kernel;
    }

    /**
     * Replaces the default kernel, for tests and benchmarks that compare kernels; {@code null}
     * goes back to the automatic choice (made again on the next {@link #defaultKernel()}).
     * Affects every thread; set it before the work starts, not while products are running.
     */
    public static void setDefault(MatmulKernel kernel) {
        synchronized (Kernels.class) {
            chosen = kernel;
        }
    }

    /**
     * Uses {@code threads} threads (the caller's included) for matrix products from now on, as
     * {@code -Dgradbook.threads} does at startup; 1 runs everything on the calling thread. The
     * automatic kernel choice is made again with that many threads, replacing a kernel set by
     * {@link #setDefault}. Affects every thread; set it before the work starts. The numbers do
     * not depend on it: each output element is summed in the same order whatever the threads.
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Kernels.setThreads: threads must be >= 1, got " + threads);
        }
        synchronized (Kernels.class) {
            Kernels.threads = threads;
            chosen = null;
        }
    }

    /** The number of threads set by {@link #setThreads} or {@code -Dgradbook.threads}, else the processor count. */
    public static int threads() {
        return threads;
    }

    /** Whether the Vector API module is present, i.e. whether {@link #simd} can work. */
    public static boolean simdAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** EJML's multiply, single-threaded or using EJML's thread pool for big products. */
    public static MatmulKernel ejml(boolean multithreaded) {
        return new EjmlKernel(multithreaded);
    }

    /**
     * The Vector API kernel using up to {@code threads} threads.
     *
     * @throws IllegalStateException if the JVM runs without {@code --add-modules jdk.incubator.vector}
     */
    public static MatmulKernel simd(int threads) {
        if (!simdAvailable()) {
            throw new IllegalStateException("the SIMD matmul kernel needs the Vector API: start java with "
                    + "--add-modules " + VECTOR_MODULE);
        }
        try {
            return (MatmulKernel) Class.forName(SIMD_CLASS).getConstructor(int.class).newInstance(threads);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + SIMD_CLASS, e);
        }
    }

    /**
     * Whether {@code Tensor.softmax} and {@code Tensor.logSoftmax} run as one hand-written op
     * (one pass for the max, one for the sum, one to write; a hand-written backward) instead of
     * their composition from max, subtract, exp, sum and divide. Both give the same values to
     * float rounding (core's {@code SoftmaxOpsTest}); the composition is the default, the
     * hand-written op is several times faster. Affects every thread; set it before the work
     * starts. Same choice, same bits: it never switches by itself.
     */
    public static void useHandWrittenSoftmax(boolean on) {
        handWrittenSoftmax = on;
    }

    /** The current softmax choice: see {@link #useHandWrittenSoftmax}. */
    public static boolean handWrittenSoftmax() {
        return handWrittenSoftmax;
    }

    private static boolean softmaxProperty() {
        String wanted = System.getProperty("gradbook.softmax", "composed");
        if (!wanted.equals("composed") && !wanted.equals("fused")) {
            throw new IllegalStateException("-Dgradbook.softmax must be 'composed' or 'fused', not '" + wanted + "'");
        }
        return wanted.equals("fused");
    }

    private static MatmulKernel choose() {
        String wanted = System.getProperty("gradbook.kernel", "simd");
        if (!wanted.equals("simd") && !wanted.equals("ejml")) {
            throw new IllegalStateException("-Dgradbook.kernel must be 'simd' or 'ejml', not '" + wanted + "'");
        }
        if (wanted.equals("simd") && simdAvailable()) {
            return simd(threads);
        }
        if (!Boolean.getBoolean("gradbook.quiet") && !noticeShown) {
            noticeShown = true;
            String why = wanted.equals("ejml") ? "-Dgradbook.kernel=ejml asks for it"
                    : "the module " + VECTOR_MODULE + " is not present";
            System.err.println("gradbook: matmul uses the slower EJML kernel because " + why
                    + "; for the SIMD kernel run java with --add-modules " + VECTOR_MODULE
                    + " (and without -Dgradbook.kernel=ejml); -Dgradbook.quiet=true hides this notice");
        }
        if (threads > 1) {
            org.ejml.concurrency.EjmlConcurrency.setMaxThreads(threads);
        }
        return ejml(threads > 1);
    }

    private static int threadsProperty() {
        String value = System.getProperty("gradbook.threads");
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is wanted
        }
        throw new IllegalStateException("-Dgradbook.threads must be a whole number >= 1, not '" + value + "'");
    }
}
