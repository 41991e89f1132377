package dev.gradbook.core.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Parallel} visits every item once, in blocks fixed by the block size alone. */
class ParallelTest {

    @AfterEach
    void automaticKernel() {
        Kernels.setDefault(null);
    }

    private static void assertEveryBlockOnce(int count, int block, long work) {
        AtomicIntegerArray seen = new AtomicIntegerArray(count);
        AtomicIntegerArray blocks = new AtomicIntegerArray(Parallel.blocks(count, block));
        Parallel.forEachBlock(count, block, work, (b, from, to) -> {
            assertEquals(b * block, from);
            assertEquals(Math.min(count, from + block), to);
            blocks.incrementAndGet(b);
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < count; i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
        for (int b = 0; b < blocks.length(); b++) {
            assertEquals(1, blocks.get(b), "block " + b);
        }
    }

    @Test
    void everyItemOnceOnOneAndOnSeveralThreads() {
        assumeTrue(Kernels.simdAvailable(), "needs the SIMD kernel's threads");
        for (int threads : new int[] {1, 2, 3}) {
            Kernels.setDefault(Kernels.simd(threads));
            assertEveryBlockOnce(0, 4, 1);
            assertEveryBlockOnce(1, 4, 1_000_000);
            assertEveryBlockOnce(1001, 32, 1_000);        // parallel, last block short
            assertEveryBlockOnce(1001, 32, 1);            // too little work: all on the caller
        }
    }

    @Test
    void nestedLoopsRunOnTheirOwnThreadAndFailuresReachTheCaller() {
        assumeTrue(Kernels.simdAvailable(), "needs the SIMD kernel's threads");
        Kernels.setDefault(Kernels.simd(2));
        AtomicIntegerArray inner = new AtomicIntegerArray(64 * 64);
        Parallel.forEachBlock(64, 1, 1_000_000, (b, from, to) ->
                Parallel.forEachBlock(64, 8, 1_000_000, (c, f, t) -> {
                    for (int i = f; i < t; i++) {
                        inner.incrementAndGet(b * 64 + i);
                    }
                }));
        for (int i = 0; i < inner.length(); i++) {
            assertEquals(1, inner.get(i));
        }
        var e = assertThrows(IllegalStateException.class, () -> Parallel.forEachBlock(100, 10, 1_000_000,
                (b, from, to) -> {
                    if (b == 7) {
                        throw new IllegalStateException("block 7");
                    }
                }));
        assertEquals("block 7", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.forEachBlock(10, 0, 1, (b, f, t) -> { }));
    }
}
