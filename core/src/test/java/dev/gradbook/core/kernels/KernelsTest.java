package dev.gradbook.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/** The choice of kernel, argument checks, concurrent use, and the fallback without the Vector API. */
class KernelsTest {

    @Test
    void defaultFollowsTheProperty() {
        MatmulKernel kernel = Kernels.defaultKernel();
        if ("ejml".equals(System.getProperty("gradbook.kernel")) || !Kernels.simdAvailable()) {
            assertInstanceOf(EjmlKernel.class, kernel);
            assertEquals("ejml-mt", kernel.name());
        } else {
            assertInstanceOf(SimdKernel.class, kernel);
        }
        assertSame(kernel, Kernels.defaultKernel(), "chosen once");
    }

    @Test
    void setDefaultReplacesAndNullRestoresTheChoice() {
        MatmulKernel chosen = Kernels.defaultKernel();
        MatmulKernel other = Kernels.ejml(false);
        try {
            Kernels.setDefault(other);
            assertSame(other, Kernels.defaultKernel());
        } finally {
            Kernels.setDefault(null);
        }
        assertEquals(chosen.getClass(), Kernels.defaultKernel().getClass());
    }

    @Test
    void setThreadsChoosesAgainWithThatManyThreadsAndTheSameNumbers() {
        int before = Kernels.threads();
        float[] a = new float[256 * 256];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i * 37 % 101) / 50f - 1f;
        }
        try {
            Kernels.setThreads(1);
            assertEquals(1, Kernels.threads());
            assertEquals(Kernels.simdAvailable() && !"ejml".equals(System.getProperty("gradbook.kernel"))
                    ? "simd(1 thread)" : "ejml", Kernels.defaultKernel().name());
            float[] one = new float[a.length];
            Kernels.defaultKernel().gemm(256, 256, 256, a, 0, false, a, 0, true, one, 0, false);
            Kernels.setThreads(2);
            assertTrue(Kernels.defaultKernel().name().matches("simd\\(2 threads\\)|ejml-mt"),
                    Kernels.defaultKernel().name());
            float[] two = new float[a.length];
            Kernels.defaultKernel().gemm(256, 256, 256, a, 0, false, a, 0, true, two, 0, false);
            for (int i = 0; i < one.length; i++) {
                assertEquals(Float.floatToIntBits(one[i]), Float.floatToIntBits(two[i]), "element " + i);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.setThreads(0));
            assertTrue(e.getMessage().contains("threads must be >= 1, got 0"), e.getMessage());
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void names() {
        assertEquals("ejml", Kernels.ejml(false).name());
        assertEquals("ejml-mt", Kernels.ejml(true).name());
        assumeTrue(Kernels.simdAvailable());
        assertEquals("simd(1 thread)", Kernels.simd(1).name());
        assertEquals("simd(2 threads)", Kernels.simd(2).name());
    }

    @Test
    void simdNeedsAThread() {
        assumeTrue(Kernels.simdAvailable());
        assertThrows(IllegalArgumentException.class, () -> Kernels.simd(0));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        List<MatmulKernel> kernels = new ArrayList<>(List.of(Kernels.ejml(false)));
        if (Kernels.simdAvailable()) {
            kernels.add(Kernels.simd(2));
        }
        for (MatmulKernel kernel : kernels) {
            float[] c = new float[6];
            assertThrows(IllegalArgumentException.class,
                    () -> kernel.gemm(-1, 2, 2, new float[4], 0, false, new float[4], 0, false, c, 0, false));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> kernel.gemm(2, 3, 4, new float[7], 0, false, new float[12], 0, false, c, 0, false));
            assertTrue(e.getMessage().contains("a needs 8 elements (2 x 4)"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernel.gemm(2, 3, 4, new float[8], 0, false, new float[12], 1, false, c, 0, false));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernel.gemm(2, 3, 4, new float[8], 0, false, new float[12], 0, false, c, 1, false));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernel.gemm(2, 3, 4, new float[8], -1, false, new float[12], 0, false, c, 0, false));
            assertEquals(0f, c[0], "nothing written");
        }
    }

    /** One shared kernel used from several threads at once: per-thread buffers must not mix. */
    @Test
    void concurrentCallsDoNotInterfere() throws Exception {
        assumeTrue(Kernels.simdAvailable());
        MatmulKernel kernel = new SimdKernel(2, 0);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int size = 20 + 11 * t;
                done.add(callers.submit(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        multiplyAndCompareWithEjml(kernel, size, size + 7, size + 3);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static void multiplyAndCompareWithEjml(MatmulKernel kernel, int m, int n, int k) {
        FMatrixRMaj a = new FMatrixRMaj(m, k);
        FMatrixRMaj b = new FMatrixRMaj(k, n);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = (i % 13) - 6;
        }
        for (int i = 0; i < b.data.length; i++) {
            b.data[i] = (i % 7) - 3;
        }
        FMatrixRMaj expected = new FMatrixRMaj(m, n);
        CommonOps_FDRM.mult(a, b, expected);
        float[] c = new float[m * n];
        kernel.gemm(m, n, k, a.data, 0, false, b.data, 0, false, c, 0, false);
        // Small integers: every partial sum is exact in float, so the results agree exactly.
        for (int i = 0; i < c.length; i++) {
            assertEquals(expected.data[i], c[i], "element " + i);
        }
    }

    /** Without the module: EJML, a notice naming the flag, and SimdKernel's class never loaded. */
    @Test
    void fallsBackToEjmlWithoutTheVectorModule() throws Exception {
        Result quiet = runProbe("-Dgradbook.quiet=true");
        assertTrue(quiet.out.contains("default=ejml-mt"), quiet.out);
        assertTrue(quiet.out.contains("product=31.0"), quiet.out);
        assertTrue(quiet.out.contains("available=false"), quiet.out);
        assertTrue(quiet.out.contains("simd=the SIMD matmul kernel needs the Vector API"), quiet.out);
        assertFalse(quiet.out.contains("SimdKernel source:"), "SimdKernel was loaded:\n" + quiet.out);
        assertFalse(quiet.out.contains("MicroTiles source:"), "MicroTiles was loaded:\n" + quiet.out);
        assertFalse(quiet.err.contains("gradbook:"), quiet.err);

        Result noisy = runProbe("-Dgradbook.quiet=false");
        assertTrue(noisy.err.contains("gradbook: matmul uses the slower EJML kernel because the module "
                + "jdk.incubator.vector is not present"), noisy.err);
        assertTrue(noisy.err.contains("--add-modules jdk.incubator.vector"), noisy.err);
    }

    private record Result(String out, String err) {
    }

    private static Result runProbe(String quiet) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator,
                location(Kernels.class), location(FallbackProbe.class),
                location(CommonOps_FDRM.class), location(FMatrixRMaj.class));
        // Files, not pipes: the class-loading log is longer than a pipe's buffer.
        Path out = Files.createTempFile("gradbook-probe", ".out");
        Path err = Files.createTempFile("gradbook-probe", ".err");
        try {
            Process process = new ProcessBuilder(java, "-Xlog:class+load=info", quiet,
                    "-cp", classPath, FallbackProbe.class.getName())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe timed out");
            Result result = new Result(Files.readString(out), Files.readString(err));
            assertEquals(0, process.exitValue(), result.out() + result.err());
            return result;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
