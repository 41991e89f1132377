package dev.gradbook.transformer.moe;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A sparsely gated mixture of experts (Shazeer et al., ICLR 2017, "Outrageously Large Neural
 * Networks", eq. 1-5), the layer that replaces the feed-forward block in Switch Transformers
 * and Mixtral. Each token is sent to only {@code k} of {@code N} expert MLPs:
 * <pre>
 *     h(x)   = x W_g                               gate logits, one per expert     (N)
 *     T      = the k experts with the largest h(x)
 *     g_i(x) = exp(h_i) / sum_{j in T} exp(h_j)    for i in T, 0 otherwise        (softmax over the top k)
 *     y      = sum_{i in T} g_i(x) E_i(x)
 * </pre>
 * Parameters grow with {@code N}, compute per token only with {@code k}. The choice of T is
 * discrete and gets no gradient; the gate still learns through the weights {@code g_i} of the
 * chosen experts. With {@code k = N} it is the dense softmax-weighted mixture.
 *
 * <p>Left alone, the gate tends to send most tokens to a few experts, which then get all the
 * training. The load-balancing loss of Switch Transformers (Fedus et al., JMLR 2022, eq. 4-6)
 * pushes back: see {@link LoadBalancing}. Each forward computes it; add
 * {@code alpha * balanceLoss} (the paper uses {@code alpha = 0.01}) to the training loss.
 * Tokens are not dropped: there is no expert capacity limit.
 */
public class MixtureOfExperts extends Layer {
    /** What one forward produced: the output, the balancing loss and how many tokens each expert got. */
    public record Output(Tensor output, Tensor balanceLoss, int[] tokensPerExpert) {
    }

    /** The experts as children named "0", "1", ... so that their parameters are "experts.3.0.weight". */
    private static final class Experts extends Module {
        Experts(List<? extends Layer> experts) {
            for (int i = 0; i < experts.size(); i++) {
                child(Integer.toString(i), experts.get(i));
            }
        }
    }

    /** A gate logit this low gets probability exactly 0 after softmax: it marks an expert that was not chosen. */
    private static final float NOT_CHOSEN = -1e9f;

    public final int dModel;
    public final int numExperts;
    public final int k;
    public final Linear gate;
    private final List<Layer> experts;
    private final long[] tokensSoFar;
    private Output last;

    /** {@code numExperts} MLPs {@code dModel -> hidden -> dModel} with GELU, routed top-{@code k}. */
    public MixtureOfExperts(int dModel, int hidden, int numExperts, int k, Rng rng) {
        this(dModel, makeExperts(dModel, hidden, numExperts, rng), k, rng);
    }

    /** Routes among the given experts, each mapping {@code (n, dModel)} to {@code (n, dModel)}. */
    public MixtureOfExperts(int dModel, List<? extends Layer> experts, int k, Rng rng) {
        if (experts.isEmpty() || k < 1 || k > experts.size()) {
            throw new IllegalArgumentException("MixtureOfExperts: need 1 <= k <= numExperts, got k=" + k + " and "
                    + experts.size() + " experts");
        }
        this.dModel = dModel;
        this.numExperts = experts.size();
        this.k = k;
        this.gate = child("gate", new Linear(dModel, numExperts, false, rng));
        this.experts = List.copyOf(experts);
        child("experts", new Experts(experts));
        this.tokensSoFar = new long[numExperts];
    }

    private static List<Layer> makeExperts(int dModel, int hidden, int n, Rng rng) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MLP(new int[] {dModel, hidden, dModel}, GELU::new, rng));
        }
        return out;
    }

    /** The mixture's output for {@code x (..., dModel)}; the balancing loss is kept in {@link #lastOutput()}. */
    @Override
    public Tensor forward(Tensor x) {
        return route(x).output();
    }

    /** Routes every token of {@code x (..., dModel)} and returns the output with the balancing loss. */
    public Output route(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != dModel) {
            throw new IllegalArgumentException("MixtureOfExperts(dModel=" + dModel + "): input of shape "
                    + Shape.format(x.shape()) + " does not end in " + dModel);
        }
        int n = x.numel() / dModel;
        Tensor tokens = x.reshape(n, dModel);                 // (n, C)
        Tensor logits = gate.forward(tokens);                 // (n, E): h(x)
        IntTensor chosen = LoadBalancing.topK(logits, k);     // (n, k): T, a discrete choice without gradient
        Tensor gates = topKSoftmax(logits, chosen);           // (n, E): g(x), zero outside T
        int[] counts = new int[numExperts];
        Tensor y = dispatch(tokens, gates, chosen, counts);   // (n, C): sum over T of g_i E_i(x)
        for (int i = 0; i < numExperts; i++) {
            tokensSoFar[i] += counts[i];
        }
        Tensor balance = LoadBalancing.loss(logits.softmax(-1), chosen); // scalar
        last = new Output(y.reshape(x.shape()), balance, counts);
        return last;
    }

    /** Softmax over each row's chosen logits only: the others are pushed so low that their weight is exactly 0. */
    private static Tensor topKSoftmax(Tensor logits, IntTensor chosen) {
        Tensor notChosen = Tensor.ones(logits.shape());
        for (int t = 0; t < chosen.size(0); t++) {
            for (int i : chosen.narrow(0, t, 1).data()) {
                notChosen.setInPlace(0f, t, i);
            }
        }
        return logits.maskedFill(notChosen, NOT_CHOSEN).softmax(-1);
    }

    /**
     * Runs each expert once, on the tokens routed to it, and adds up every token's k weighted
     * expert outputs. Fills {@code counts} with the number of tokens each expert received.
     */
    private Tensor dispatch(Tensor tokens, Tensor gates, IntTensor chosen, int[] counts) {
        int n = tokens.size(0);
        // rowOf[s][t]: where the output of token t's s-th expert lands in the concatenation of all outputs
        int[][] rowOf = new int[k][n];
        List<Tensor> pieces = new ArrayList<>();
        int row = 0;
        for (int i = 0; i < numExperts; i++) {
            List<Integer> mine = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                for (int s = 0; s < k; s++) {
                    if (chosen.get(t, s) == i) {
                        mine.add(t);
                        rowOf[s][t] = row++;
                    }
                }
            }
            counts[i] = mine.size();
            if (mine.isEmpty()) {
                continue;
            }
            int[] idx = mine.stream().mapToInt(Integer::intValue).toArray();
            Tensor xi = tokens.indexSelect(0, idx);                  // (n_i, C)
            Tensor yi = experts.get(i).forward(xi);                  // (n_i, C)
            Tensor gi = gates.narrow(1, i, 1).indexSelect(0, idx);   // (n_i, 1)
            pieces.add(yi.mul(gi));
        }
        Tensor all = Tensor.cat(pieces, 0);                          // (n k, C)
        Tensor y = all.indexSelect(0, rowOf[0]);                     // (n, C)
        for (int s = 1; s < k; s++) {
            y = y.add(all.indexSelect(0, rowOf[s]));                 // indexSelect's backward scatters the gradient back
        }
        return y;
    }

    /** The result of the latest forward (null before the first): its balancing loss for the training loss. */
    public Output lastOutput() {
        return last;
    }

    /** The fraction of all routed (token, slot) pairs each expert has received since the last reset. */
    public double[] utilisation() {
        long total = 0;
        for (long c : tokensSoFar) {
            total += c;
        }
        double[] out = new double[numExperts];
        for (int i = 0; i < numExperts && total > 0; i++) {
            out[i] = (double) tokensSoFar[i] / total;
        }
        return out;
    }

    /** Forgets the utilisation counts. */
    public void resetUtilisation() {
        java.util.Arrays.fill(tokensSoFar, 0);
    }

    /** The i-th expert. */
    public Layer expert(int i) {
        return experts.get(i);
    }

    @Override
    protected String describe() {
        return "dModel=" + dModel + ", experts=" + numExperts + ", k=" + k;
    }
}
