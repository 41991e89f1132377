package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * The Mamba block (Gu and Dao 2023, section 3.4, Figure 3), the whole sequence mixer around the
 * selective SSM:
 * <pre>
 *   (x, z) = x W_in                                   expand to 2E channels, E = expand * C
 *   u      = SiLU(causal depthwise conv_k(x))         a short look back, k = 4
 *   y      = SSM(u) ⊙ SiLU(z)                         the gated selective SSM ({@link SelectiveSsm})
 *   out    = y W_out
 * </pre>
 * It replaces both attention and the MLP of a transformer block. For generation ({@link #step})
 * the state is the SSM's {@code h (E, N)} plus the last {@code k - 1} conv inputs: fixed size.
 * Shape legend: B batch, T positions, C model channels, E inner channels.
 */
public final class MambaBlock extends Layer {
    public final int nEmbd;
    public final int inner;
    public final int kernel;
    private final Linear inProj;
    private final Tensor convWeight;
    private final Tensor convBias;
    private final SelectiveSsm ssm;
    private final Linear outProj;

    public MambaBlock(int nEmbd, int expand, int stateSize, int kernel, boolean selective, Rng rng) {
        this.nEmbd = nEmbd;
        this.inner = expand * nEmbd;
        this.kernel = kernel;
        this.inProj = child("inProj", new Linear(nEmbd, 2 * inner, false, rng));
        this.convWeight = parameter("convWeight", Tensor.uniform(rng, -0.5f, 0.5f, inner, kernel));
        this.convBias = parameter("convBias", Tensor.zeros(inner));
        this.ssm = child("ssm", new SelectiveSsm(inner, stateSize, selective, rng));
        this.outProj = child("outProj", new Linear(inner, nEmbd, false, rng));
    }

    /** {@code (B, T, C) -> (B, T, C)}. */
    @Override
    public Tensor forward(Tensor x) {
        check(x);
        int t = x.size(1);
        Tensor xz = inProj.forward(x);                                                    // (B, T, 2E)
        Tensor z = xz.narrow(2, inner, inner);                                            // (B, T, E)
        Tensor padded = Tensor.cat(List.of(Tensor.zeros(x.size(0), kernel - 1, inner), xz.narrow(2, 0, inner)), 1);
        Tensor u = conv(padded, t).silu();                                                // (B, T, E)
        return outProj.forward(ssm.forward(u).mul(z.silu()));                             // (B, T, C)
    }

    /** {@code out_t = bias + sum_j w[:, j] ⊙ padded_(t + j)} over the k taps, for T outputs. */
    private Tensor conv(Tensor padded, int t) {
        Tensor out = null;
        for (int j = 0; j < kernel; j++) {
            Tensor tap = padded.narrow(1, j, t).mul(convWeight.select(1, j));              // (B, T, E)
            out = out == null ? tap : out.add(tap);
        }
        return out.add(convBias);
    }

    /** The generation state: the SSM's h and the last k - 1 conv inputs. */
    public static final class State {
        final SelectiveSsm.State ssm;
        Tensor window;

        State(SelectiveSsm.State ssm, Tensor window) {
            this.ssm = ssm;
            this.window = window;
        }

        public int floats() {
            return ssm.floats() + window.numel();
        }
    }

    public State initialState(int batch) {
        return new State(ssm.initialState(batch), Tensor.zeros(batch, kernel - 1, inner));
    }

    /** One token {@code (B, 1, C) -> (B, 1, C)}: the same numbers as {@link #forward} at that position. */
    public Tensor step(Tensor xt, State s) {
        check(xt);
        Tensor xz = inProj.forward(xt);                                                   // (B, 1, 2E)
        Tensor z = xz.narrow(2, inner, inner);                                            // (B, 1, E)
        Tensor padded = Tensor.cat(List.of(s.window, xz.narrow(2, 0, inner)), 1);         // (B, k, E)
        s.window = padded.narrow(1, 1, kernel - 1);
        Tensor u = conv(padded, 1).silu();                                                // (B, 1, E)
        return outProj.forward(ssm.step(u, s.ssm).mul(z.silu()));                         // (B, 1, C)
    }

    /** {@link #step} over a whole sequence. */
    public Tensor forwardRecurrent(Tensor x) {
        State s = initialState(x.size(0));
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < x.size(1); i++) {
            out.add(step(x.narrow(1, i, 1), s));
        }
        return Tensor.cat(out, 1);
    }

    private void check(Tensor x) {
        if (x.dim() != 3 || x.size(2) != nEmbd) {
            throw new IllegalArgumentException("MambaBlock(nEmbd=" + nEmbd + "): expects (B, T, " + nEmbd + "), got "
                    + Shape.format(x.shape()));
        }
    }

    @Override
    protected String describe() {
        return "nEmbd=" + nEmbd + ", inner=" + inner + ", kernel=" + kernel + ", " + ssm.describe();
    }
}
