package dev.gradbook.transformer.retrieval;

import java.util.PriorityQueue;

/** The positions of the k largest scores, best first; ties go to the lower position. */
public final class TopK {
    private TopK() {
    }

    public static int[] indices(double[] scores, int k) {
        int keep = Math.min(k, scores.length);
        // a min-heap of the best `keep` seen so far: the weakest sits on top, ready to be replaced
        PriorityQueue<Integer> heap = new PriorityQueue<>(keep + 1, (a, b) -> better(scores, b, a) ? -1 : 1);
        for (int i = 0; i < scores.length; i++) {
            heap.add(i);
            if (heap.size() > keep) {
                heap.poll();
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }

    public static int[] indices(float[] scores, int k) {
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = scores[i];
        }
        return indices(d, k);
    }

    /** Whether position a ranks above position b. */
    private static boolean better(double[] s, int a, int b) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }
}
