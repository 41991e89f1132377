package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * An inverted file index (IVF; Sivic and Zisserman, "Video Google", ICCV 2003, section 4, for the
 * idea; Jégou, Douze and Schmid, "Product Quantization for Nearest Neighbor Search", TPAMI 2011,
 * section IV.A, for its use with vectors, as in FAISS's {@code IndexIVFFlat}).
 *
 * <p>Building: k-means cuts the N vectors into {@code lists} clusters ({@link KMeans}, the "coarse
 * quantiser"); each vector is stored in the list of its nearest centroid, the lists laid out
 * contiguously. Searching a query q:
 * <pre>
 *   1. score q against the L centroids                          (L comparisons)
 *   2. keep the nprobe best lists
 *   3. score q against every vector of those lists, keep the k best   (about nprobe * N / L comparisons)
 * </pre>
 * Work per query falls from N to about {@code L + nprobe N / L} (least at {@code L = sqrt(nprobe N)}).
 * The price: a true neighbour whose list was not probed is missed. With {@code nprobe = L} every
 * list is scanned and the result is exactly that of {@link ExactIndex} (same ids, same order).
 *
 * <p>Lists are ranked by the query's similarity to their centroid. For the inner product this is
 * the mean score of the list's vectors, {@code q . c = mean over x in the list of q . x}, since
 * c is their mean; for cosine it is the nearest centroid to the query.
 */
public final class IvfIndex implements VectorIndex {
    private final Similarity similarity;
    private final int d;
    private final int n;
    private final float[] centroids;     // (L, d)
    private final int[][] listIds;       // listIds[l] = the ids stored in list l, ascending
    private final float[][] listVectors; // listVectors[l] = their vectors, (|l|, d) row-major
    private final int nprobe;

    /**
     * Clusters the rows of {@code vectors (N, d)} into {@code lists} lists with {@code iterations}
     * rounds of k-means seeded by {@code rng}; searches probe {@code nprobe} lists.
     */
    public IvfIndex(Tensor vectors, Similarity similarity, int lists, int iterations, int nprobe, Rng rng) {
        float[] x = similarity.prepare(vectors, "IvfIndex");
        this.similarity = similarity;
        this.n = vectors.size(0);
        this.d = vectors.size(1);
        if (lists < 1 || lists > n) {
            throw new IllegalArgumentException("IvfIndex: lists must be in 1.." + n + " (the number of vectors), got " + lists);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("IvfIndex: iterations must be >= 0, got " + iterations);
        }
        checkNprobe(nprobe, lists);
        this.centroids = KMeans.fit(x, n, d, lists, iterations, similarity, rng);
        this.nprobe = nprobe;
        int[] assignment = new int[n];
        int[] sizes = new int[lists];
        for (int i = 0; i < n; i++) {
            assignment[i] = KMeans.nearest(x, i, centroids, lists, d, similarity);
            sizes[assignment[i]]++;
        }
        listIds = new int[lists][];
        listVectors = new float[lists][];
        for (int l = 0; l < lists; l++) {
            listIds[l] = new int[sizes[l]];
            listVectors[l] = new float[sizes[l] * d];
        }
        int[] filled = new int[lists];
        for (int i = 0; i < n; i++) {
            int l = assignment[i];
            listIds[l][filled[l]] = i;
            System.arraycopy(x, i * d, listVectors[l], filled[l] * d, d);
            filled[l]++;
        }
    }

    private IvfIndex(IvfIndex built, int nprobe) {
        checkNprobe(nprobe, built.lists());
        this.similarity = built.similarity;
        this.d = built.d;
        this.n = built.n;
        this.centroids = built.centroids;
        this.listIds = built.listIds;
        this.listVectors = built.listVectors;
        this.nprobe = nprobe;
    }

    private static void checkNprobe(int nprobe, int lists) {
        if (nprobe < 1 || nprobe > lists) {
            throw new IllegalArgumentException("IvfIndex: nprobe must be in 1.." + lists + " (the number of lists), got " + nprobe);
        }
    }

    /** The same lists searched with another nprobe (nothing is copied or rebuilt). */
    public IvfIndex withNprobe(int nprobe) {
        return new IvfIndex(this, nprobe);
    }

    public int nprobe() {
        return nprobe;
    }

    /** L, the number of lists (k-means clusters). */
    public int lists() {
        return listIds.length;
    }

    /** How many vectors each list holds. */
    public int[] listSizes() {
        int[] sizes = new int[listIds.length];
        for (int l = 0; l < sizes.length; l++) {
            sizes[l] = listIds[l].length;
        }
        return sizes;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public Similarity similarity() {
        return similarity;
    }

    @Override
    public Neighbours search(Tensor queries, int k) {
        VectorIndex.checkQuery("IvfIndex", queries, k, d);
        float[] q = similarity.prepare(queries, "IvfIndex.search");
        int count = queries.size(0);
        int[] ids = new int[count * k];
        float[] scores = new float[count * k];
        int[] probed = new int[nprobe];
        float[] unused = new float[nprobe];
        BoundedHeap bestLists = new BoundedHeap(nprobe);
        BoundedHeap heap = new BoundedHeap(k);
        long compared = 0;
        for (int i = 0; i < count; i++) {
            for (int l = 0; l < lists(); l++) {                               // 1. the centroids
                bestLists.offer(l, Similarity.dot(q, i * d, centroids, l * d, d));
            }
            bestLists.drainInto(probed, unused, 0);                           // 2. the nprobe best lists
            compared += lists();
            for (int l : probed) {                                            // 3. their vectors
                int[] members = listIds[l];
                float[] v = listVectors[l];
                for (int m = 0; m < members.length; m++) {
                    heap.offer(members[m], Similarity.dot(q, i * d, v, m * d, d));
                }
                compared += members.length;
            }
            heap.drainInto(ids, scores, i);
        }
        return BoundedHeap.neighbours(ids, scores, count, k, compared);
    }
}
