package dev.gradbook.core.kernels;

/**
 * Copies blocks of {@code op(A)} and {@code op(B)} into the contiguous "panel" layout that the
 * micro-tiles of {@link SimdKernel} read (GotoBLAS packing). The kernel packs {@code B}, and of
 * {@code A} only a last panel with fewer rows than a tile.
 *
 * <p>Both operands use the same layout: a panel of {@code width} lines (rows of {@code A}, columns
 * of {@code B}) over {@code kc} steps of the inner dimension, stored step by step, so that the
 * micro-tile reads one short contiguous run per step:
 * <pre>
 *   panel[p*width + r] = element (line r, step p)        r &lt; width, p &lt; kc
 * </pre>
 * A panel on the edge of the matrix has fewer lines than its width; the lines past the edge keep
 * whatever the buffer held, because they only feed the part of an edge tile that is thrown away
 * (see {@link SimdKernel}). A transposed operand only changes which source stride is 1, so
 * transposes are handled here and never materialised; the panels of a transposed {@code B} are
 * transposed in 16 x 16 blocks in vector registers ({@link Transpose16}).
 */
final class Packing {

    private Packing() {
    }

    /**
     * Packs rows {@code [from, mc)} of {@code op(A)[i0 : i0+mc, p0 : p0+kc]} as consecutive panels
     * of {@link SimdKernel#MR} rows: the panel of rows {@code [r0, r0+MR)} starts at
     * {@code dst[(r0-from)*kc]}. {@code from} is a multiple of {@code MR}.
     */
    static void packA(Gemm g, int i0, int mc, int p0, int kc, float[] dst, int from) {
        int mr = SimdKernel.MR;
        // op(A)(i, p) = a[i*lda + p], or a[p*lda + i] when transposed.
        int alongRows = g.transA() ? 1 : g.lda();
        int alongK = g.transA() ? g.lda() : 1;
        for (int r0 = from; r0 < mc; r0 += mr) {
            int base = g.aOffset() + (i0 + r0) * alongRows + p0 * alongK;
            panel(g.a(), base, alongRows, alongK, Math.min(mr, mc - r0), mr, kc, dst, (r0 - from) * kc);
        }
    }

    /**
     * Packs columns {@code [from, nc)} of {@code op(B)[p0 : p0+kc, j0 : j0+nc]} as consecutive
     * panels of the widths given by {@link SimdKernel#panelWidth}: the panel of columns
     * {@code [js, js+width)} starts at {@code dst[(js-from)*kc]}. {@code from} is where a panel starts.
     */
    static void packB(Gemm g, int p0, int kc, int j0, int nc, float[] dst, int from) {
        // op(B)(p, j) = b[p*ldb + j], or b[j*ldb + p] when transposed.
        int alongCols = g.transB() ? g.ldb() : 1;
        int alongK = g.transB() ? 1 : g.ldb();
        int width;
        for (int js = from; js < nc; js += width) {
            width = SimdKernel.panelWidth(nc - js);
            int base = g.bOffset() + (j0 + js) * alongCols + p0 * alongK;
            panel(g.b(), base, alongCols, alongK, Math.min(width, nc - js), width, kc, dst, (js - from) * kc);
        }
    }

    /**
     * {@code dst[at + p*width + r] = src[base + r*alongLine + p*alongK]} for {@code r < lines}; the
     * loop order follows whichever source stride is 1.
     */
    private static void panel(float[] src, int base, int alongLine, int alongK,
                              int lines, int width, int kc, float[] dst, int at) {
        if (alongLine == 1) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(src, base + p * alongK, dst, at + p * width, lines);
            }
        } else if (alongK == 1 && lines == width && width % Transpose16.SIZE == 0 && Transpose16.WORKS) {
            transposedPanel(src, base, alongLine, width, kc, dst, at);
        } else {
            for (int r = 0; r < lines; r++) {
                int from = base + r * alongLine;
                for (int p = 0; p < kc; p++) {
                    dst[at + p * width + r] = src[from + p * alongK];
                }
            }
        }
    }

    /** A full panel whose source lines are rows ({@code alongK == 1}): 16 x 16 blocks at a time. */
    private static void transposedPanel(float[] src, int base, int alongLine, int width, int kc,
                                        float[] dst, int at) {
        int size = Transpose16.SIZE;
        int blocked = kc - kc % size;
        for (int r = 0; r < width; r += size) {
            for (int p = 0; p < blocked; p += size) {
                Transpose16.block(src, base + r * alongLine + p, alongLine, dst, at + p * width + r, width);
            }
            for (int p = blocked; p < kc; p++) {
                for (int i = r; i < r + size; i++) {
                    dst[at + p * width + i] = src[base + i * alongLine + p];
                }
            }
        }
    }
}
