package dev.gradbook.core.kernels;

import java.util.Arrays;

/**
 * A cache-blocked matrix multiply written with the JDK Vector API ({@code jdk.incubator.vector}),
 * in the GotoBLAS / BLIS scheme (Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", ACM TOMS 34(3), 2008, section 5; Van Zee and van de Geijn, "BLIS", 2015).
 * Needs {@code --add-modules jdk.incubator.vector}; {@link Kernels} loads it only then.
 *
 * <h2>Blocking</h2>
 * The product is cut into blocks that fit the caches, and finished by a register tile of
 * {@code MR x NR} elements of {@code C} that runs through a whole block of the inner dimension:
 * <pre>
 *   for jc in [0, n) step NC                          columns of C and B
 *     for pc in [0, k) step KC                        the inner dimension
 *       pack op(B)[pc:+KC, jc:+NC] into NR-column panels        -> L3
 *       for ic in [0, m) step MC                      rows of C and A: a block of A   -> L2
 *         for jr in [0, NC) step NR                   one panel of B                  -> L2
 *           for ir in [0, MC) step MR                 one panel of A
 *             C[ic+ir:+MR, jc+jr:+NR] += Apanel * Bpanel        -> registers
 *
 *              KC                    NC                          NR
 *         +---------+       +-----------------+         +----+----+----+--+
 *      MC | A block |  x KC |     B block     |    =  MC|MRxNR    |    |  |   block of C
 *         +---------+       +-----------------+         +----+----+----+--+
 * </pre>
 * The micro-tile ({@link MicroTiles#tile6x3}) is {@code MR = 6} rows by {@code NR = 3} vectors
 * (48 floats with AVX-512): 18 accumulators, each step 18 multiply-adds for 3 loads of {@code B}
 * and 6 broadcasts of {@code A}. {@code KC} is long so that each tile's {@code C} is loaded and
 * stored few times; the {@code KC x NR} panel of {@code B} then sits in L2 rather than L1, which
 * is fine because the tile needs only a few bytes of it per cycle.
 *
 * <p>{@code B} is packed ("copied into contiguous panels", see {@link Packing}), so that its panel
 * is one stream whatever the row stride and the transpose. {@code A} is not: the tile broadcasts
 * its elements straight from the operand with the operand's strides, transposed or not, which
 * measured faster than packing it at every size. Only a last panel with fewer than {@code MR}
 * rows is copied, so that the tile can run over its full height.
 *
 * <p>Edges: the columns left over at the right, fewer than {@code NR}, go in a panel two vectors
 * wide ({@link MicroTiles#tile6x2}) when two whole vectors are left, and the rest in panels one
 * vector wide ({@link MicroTiles#tile6x1}), so 32-, 64- and 128-column products waste nothing and each
 * element of {@code A} is broadcast once per panel. A tile that sticks
 * out of {@code C} (the last rows, or a last partial vector) is computed whole into a scratch tile
 * and only its live part is added to {@code C}; a single leftover row ({@code m == 1} is a
 * vector-matrix product) gets a one-row tile instead. The {@code k} loop is cut into equal
 * blocks so that no block is a sliver.
 *
 * <h2>Small products</h2>
 * A packed block of {@code B} is reused by every row panel of {@code A}; with few rows in
 * {@code C} the copy costs more than it saves, so when {@code C} has at most
 * {@value #DIRECT_B_MAX_M} rows and {@code B} is not transposed (its rows are then already
 * vectors) the tiles read {@code B} in place too, and only a partial panel at the right edge is
 * packed. Buffers are per thread and reused, so steady-state products do not allocate.
 *
 * <h2>Threads</h2>
 * With {@code threads > 1} a product with at least {@value #PARALLEL_VOLUME} multiply-adds is cut
 * into bands of rows (or of columns, when {@code C} is wider than tall), one per thread, each run
 * by the same blocked loop with its own packing buffers; the calling thread computes one band and
 * the others run on {@link WorkerPool}.
 *
 * <p>Thread-safe: concurrent calls on the same instance are fine.
 */
public final class SimdKernel implements MatmulKernel {

    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: three vectors. */
    static final int NR = 3 * MicroTiles.LANES;
    // Block sizes, tuned on Zen 4 (32 KB L1d and 1 MB L2 per core, 32 MB L3).
    /** Steps of the inner dimension per block; a B panel of KC x NR floats lives in L2. */
    static final int KC = 1024;
    /** Rows of A per block: MC x KC floats stay in L2 while the B panels go by. */
    static final int MC = 48;
    /** Columns of B per packed block: KC x NC floats, in L3. */
    static final int NC = 1008;
    /** Up to this many rows of {@code C}, {@code B} is read in place (see {@link #readsBDirectly}). */
    static final int DIRECT_B_MAX_M = 512;
    /** Below this many multiply-adds ({@code m*n*k}) a product runs on the calling thread only. */
    static final long PARALLEL_VOLUME = 1L << 21;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private final int threads;
    private final long parallelVolume;

    /** A kernel that uses up to {@code threads} threads, the caller's included, for big products. */
    public SimdKernel(int threads) {
        this(threads, PARALLEL_VOLUME);
    }

    /** For tests: {@code parallelVolume = 0} makes every product multithreaded. */
    SimdKernel(int threads, long parallelVolume) {
        if (threads < 1) {
            throw new IllegalArgumentException("SimdKernel: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.parallelVolume = parallelVolume;
    }

    @Override
    public void gemm(int m, int n, int k,
                     float[] a, int aOffset, boolean transA,
                     float[] b, int bOffset, boolean transB,
                     float[] c, int cOffset, boolean accumulate) {
        Gemm g = Gemm.dense(m, n, k, a, aOffset, transA, b, bOffset, transB, c, cOffset, accumulate);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c, cOffset, cOffset + m * n, 0f);
            }
            return;
        }
        if (threads > 1 && g.volume() >= parallelVolume && !WorkerPool.insideShare()) {
            parallel(g);
        } else {
            blocked(g, WORKSPACE.get());
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "simd(" + threads + (threads == 1 ? " thread)" : " threads)");
    }

    /** Cuts {@code C} into one band per thread, along its longer side. */
    private void parallel(Gemm g) {
        boolean byColumns = g.n() > g.m();
        int length = byColumns ? g.n() : g.m();
        int unit = byColumns ? NR : MR;
        int bands = Math.min(threads, length / unit);
        if (bands < 2) {
            blocked(g, WORKSPACE.get());
            return;
        }
        int bandLength = roundUp(ceilDiv(length, bands), unit);
        Runnable[] shares = new Runnable[ceilDiv(length, bandLength)];
        for (int i = 0; i < shares.length; i++) {
            int from = i * bandLength;
            int to = Math.min(length, from + bandLength);
            Gemm band = byColumns ? g.cols(from, to) : g.rows(from, to);
            shares[i] = () -> blocked(band, WORKSPACE.get());
        }
        WorkerPool.runAll(shares);
    }

    /** The five loops of the class comment, on the calling thread. */
    private static void blocked(Gemm g, Workspace ws) {
        int kStep = step(g.k(), KC, 1);
        int mStep = step(g.m(), MC, MR);
        int nStep = step(g.n(), NC, NR);
        boolean directB = readsBDirectly(g);
        for (int jc = 0; jc < g.n(); jc += nStep) {
            int nc = Math.min(nStep, g.n() - jc);
            for (int pc = 0; pc < g.k(); pc += kStep) {
                int kc = Math.min(kStep, g.k() - pc);
                boolean load = g.accumulate() || pc > 0;
                ws.packB(g, pc, kc, jc, nc, directB ? nc - nc % MicroTiles.LANES : 0);
                for (int ic = 0; ic < g.m(); ic += mStep) {
                    int mc = Math.min(mStep, g.m() - ic);
                    ws.packA(g, ic, mc, pc, kc, mc - mc % MR);
                    macroKernel(g, ws, ic, mc, jc, nc, pc, kc, load);
                }
            }
        }
    }

    /**
     * Whether the tiles read {@code B} in place rather than packed: when it is not transposed (its
     * rows are then already vectors) and {@code C} has few rows to reuse a packed block.
     */
    private static boolean readsBDirectly(Gemm g) {
        return !g.transB() && g.m() <= DIRECT_B_MAX_M;
    }

    /**
     * {@code C[ic:+mc, jc:+nc] (+)= op(A)[ic:+mc, pc:+kc] * op(B)[pc:+kc, jc:+nc]}, one register
     * tile at a time. Panels before {@code ws.aFrom} (rows) and {@code ws.bFrom} (columns) are
     * read straight from the operands, the others from the packing buffers.
     */
    private static void macroKernel(Gemm g, Workspace ws, int ic, int mc, int jc, int nc, int pc, int kc,
                                    boolean load) {
        // op(A)(i, p) = a[i*aRow + p*aCol]; op(B)(p, j) = b[p*ldb + j] when B is read in place
        int aRow = g.transA() ? 1 : g.lda();
        int aCol = g.transA() ? g.lda() : 1;
        int aCorner = g.aOffset() + ic * aRow + pc * aCol;
        int bCorner = g.bOffset() + pc * g.ldb() + jc;
        int cCorner = g.cOffset() + ic * g.ldc() + jc;
        int width;
        for (int jr = 0; jr < nc; jr += width) {
            width = panelWidth(nc - jr);
            int cols = Math.min(width, nc - jr);
            boolean bDirect = jr < ws.bFrom;
            float[] b = bDirect ? g.b() : ws.b;
            int bAt = bDirect ? bCorner + jr : (jr - ws.bFrom) * kc;
            int bStep = bDirect ? g.ldb() : width;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                boolean aDirect = ir < ws.aFrom;
                float[] a = aDirect ? g.a() : ws.a;
                int aAt = aDirect ? aCorner + ir * aRow : (ir - ws.aFrom) * kc;
                int aLine = aDirect ? aRow : 1;
                int aStep = aDirect ? aCol : MR;
                int cAt = cCorner + ir * g.ldc() + jr;
                if (rows == MR && cols == width) {
                    tile(width, kc, a, aAt, aLine, aStep, b, bAt, bStep, g.c(), cAt, g.ldc(), load);
                } else if (rows == 1 && cols == width) {
                    // One row left (m == 1 is a vector-matrix product): a 6-row tile would be 5/6 padding.
                    rowTile(width, kc, a, aAt, aStep, b, bAt, bStep, g.c(), cAt, load);
                } else {
                    tile(width, kc, a, aAt, aLine, aStep, b, bAt, bStep, ws.tile, 0, width, false);
                    addEdge(ws.tile, width, rows, cols, g.c(), cAt, g.ldc(), load);
                }
            }
        }
    }

    private static void rowTile(int width, int kc, float[] a, int aAt, int aStep,
                                float[] b, int bAt, int bStep, float[] c, int cAt, boolean load) {
        if (width == NR) {
            MicroTiles.tile1x3(kc, a, aAt, aStep, b, bAt, bStep, c, cAt, load);
        } else {
            for (int j = 0; j < width; j += MicroTiles.LANES) {
                MicroTiles.tile1x1(kc, a, aAt, aStep, b, bAt + j, bStep, c, cAt + j, load);
            }
        }
    }

    private static void tile(int width, int kc, float[] a, int aAt, int aLine, int aStep,
                             float[] b, int bAt, int bStep, float[] c, int cAt, int ldc, boolean load) {
        if (width == NR) {
            MicroTiles.tile6x3(kc, a, aAt, aLine, aStep, b, bAt, bStep, c, cAt, ldc, load);
        } else if (width == 2 * MicroTiles.LANES) {
            MicroTiles.tile6x2(kc, a, aAt, aLine, aStep, b, bAt, bStep, c, cAt, ldc, load);
        } else {
            MicroTiles.tile6x1(kc, a, aAt, aLine, aStep, b, bAt, bStep, c, cAt, ldc, load);
        }
    }

    /** Copies (or adds, when {@code load}) the live {@code rows x cols} of a scratch tile into C. */
    private static void addEdge(float[] tile, int width, int rows, int cols,
                                float[] c, int cAt, int ldc, boolean load) {
        for (int r = 0; r < rows; r++) {
            int to = cAt + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[to + j] = load ? c[to + j] + tile[r * width + j] : tile[r * width + j];
            }
        }
    }

    /** Width of the column panel that starts where {@code remaining} columns are left. */
    static int panelWidth(int remaining) {
        int two = 2 * MicroTiles.LANES;
        return remaining >= NR ? NR : remaining >= two ? two : MicroTiles.LANES;
    }

    /** Block length for {@code size} in at most {@code max}, equal blocks, a multiple of {@code unit}. */
    private static int step(int size, int max, int unit) {
        int blocks = ceilDiv(size, max);
        return Math.min(max, roundUp(ceilDiv(size, blocks), unit));
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int unit) {
        return ceilDiv(x, unit) * unit;
    }

    /**
     * One thread's packing buffers, kept for its next product. Rows of the A block before
     * {@code aFrom} (all but a partial last panel) and columns of the B block before
     * {@code bFrom} (none, unless B is read in place) are not packed.
     */
    private static final class Workspace {
        private float[] a = new float[0];
        private float[] b = new float[0];
        private int aFrom;
        private int bFrom;
        private final float[] tile = new float[MR * NR];

        void packA(Gemm g, int ic, int mc, int pc, int kc, int from) {
            int size = roundUp(mc - from, MR) * kc;
            if (a.length < size) {
                a = new float[size];
            }
            aFrom = from;
            Packing.packA(g, ic, mc, pc, kc, a, from);
        }

        void packB(Gemm g, int pc, int kc, int jc, int nc, int from) {
            int size = roundUp(nc - from, MicroTiles.LANES) * kc;
            if (b.length < size) {
                b = new float[size];
            }
            bFrom = from;
            Packing.packB(g, pc, kc, jc, nc, b, from);
        }
    }
}
