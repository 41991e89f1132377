package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * The selective state-space layer S6 of Mamba (Gu and Dao 2023, "Mamba: Linear-Time Sequence
 * Modeling with Selective State Spaces", section 3.2, Algorithm 2). Each of the D channels runs
 * its own linear recurrence with an N-dimensional state,
 * <pre>
 *   h_t = Ā_t h_(t-1) + B̄_t x_t,     y_t = C_t h_t + D_skip x_t                        (eq. 2a, 2b)
 *   Ā_t = exp(Δ_t A),  B̄_t = Δ_t B_t                           (zero-order hold, eq. 4, with B simplified)
 * </pre>
 * and what makes it selective: the step Δ_t, the input matrix B_t and the output matrix C_t are
 * functions of the input x_t (Algorithm 2, lines 2-4),
 * <pre>
 *   B_t = Linear_N(x_t),   C_t = Linear_N(x_t),   Δ_t = softplus(Linear_D(x_t) + bias)
 * </pre>
 * so the layer can decide per token whether to write it into the state (large Δ) or let it pass
 * (Δ near 0 keeps h). With {@code selective = false} Δ, B and C are learned constants instead: a
 * linear time-invariant SSM like S4, which the paper shows cannot solve selective copying.
 * A is diagonal and negative, {@code A = -exp(aLog)}, started at {@code -(1, 2, ..., N)} (S4D-real).
 * Shape legend: B batch, T positions, D channels, N state size.
 */
public final class SelectiveSsm extends Layer {
    public final int d;
    public final int n;
    public final boolean selective;
    private final Tensor aLog;
    private final Tensor dSkip;
    private final Linear toB;
    private final Linear toC;
    private final Linear toDelta;
    private final Tensor constB;
    private final Tensor constC;
    private final Tensor constDelta;

    public SelectiveSsm(int d, int n, boolean selective, Rng rng) {
        this.d = d;
        this.n = n;
        this.selective = selective;
        float[] a = new float[d * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.log(1 + i % n);
        }
        this.aLog = parameter("aLog", Tensor.of(a, d, n));
        this.dSkip = parameter("dSkip", Tensor.ones(d));
        // Δ starts between 0.001 and 0.1 (log-uniform): bias = softplus⁻¹(Δ0) = log(e^Δ0 - 1)
        float[] bias = new float[d];
        for (int i = 0; i < d; i++) {
            double delta0 = Math.exp(Math.log(1e-3) + rng.nextDouble() * (Math.log(0.1) - Math.log(1e-3)));
            bias[i] = (float) Math.log(Math.expm1(delta0));
        }
        this.toB = selective ? child("toB", new Linear(d, n, false, rng)) : null;
        this.toC = selective ? child("toC", new Linear(d, n, false, rng)) : null;
        this.toDelta = selective ? child("toDelta", new Linear(d, d, true, rng)) : null;
        if (selective) {
            try (var noGrad = Autograd.noGrad()) {
                toDelta.bias.copyInPlace(Tensor.of(bias, d));
            }
        }
        this.constB = selective ? null : parameter("B", Tensor.randn(rng, n).mul((float) (1 / Math.sqrt(n))));
        this.constC = selective ? null : parameter("C", Tensor.randn(rng, n).mul((float) (1 / Math.sqrt(n))));
        this.constDelta = selective ? null : parameter("deltaBias", Tensor.of(bias, d));
    }

    /** {@code x (B, T, D) -> y (B, T, D)} by the scan. */
    @Override
    public Tensor forward(Tensor x) {
        check(x);
        int batch = x.size(0);
        int t = x.size(1);
        Tensor delta = selective ? softplus(toDelta.forward(x))                                   // (B, T, D)
                : softplus(constDelta).expand(batch, t, d);
        Tensor b = selective ? toB.forward(x) : constB.expand(batch, t, n);                        // (B, T, N)
        Tensor c = selective ? toC.forward(x) : constC.expand(batch, t, n);                        // (B, T, N)
        return scan(x, delta, a(), b, c).add(x.mul(dSkip));                                       // (B, T, D)
    }

    /**
     * The selective scan: {@code h_t = exp(Δ_t A) ⊙ h_(t-1) + (Δ_t x_t) B_t}, {@code y_t = h_t C_t},
     * for x, Δ {@code (B, T, D)}, A {@code (D, N)}, B_t and C_t {@code (B, T, N)}; returns y {@code (B, T, D)}.
     */
    public static Tensor scan(Tensor x, Tensor delta, Tensor a, Tensor b, Tensor c) {
        int t = x.size(1);
        Tensor aBar = delta.unsqueeze(3).mul(a).exp();                                           // (B, T, D, N)
        Tensor bBarX = delta.mul(x).unsqueeze(3).mul(b.unsqueeze(2));                            // (B, T, D, N)
        Tensor h = Tensor.zeros(x.size(0), x.size(2), a.size(1));                                // (B, D, N)
        List<Tensor> ys = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            h = aBar.select(1, i).mul(h).add(bBarX.select(1, i));                                // (B, D, N)
            ys.add(h.matmul(c.select(1, i).unsqueeze(2)).squeeze(2));                           // (B, D)
        }
        return Tensor.stack(ys, 1);                                                              // (B, T, D)
    }

    /** The recurrent state for generation: {@code h (B, D, N)}, whatever the length. */
    public static final class State {
        Tensor h;

        public int floats() {
            return h.numel();
        }
    }

    public State initialState(int batch) {
        State s = new State();
        s.h = Tensor.zeros(batch, d, n);
        return s;
    }

    /** One token {@code (B, 1, D) -> (B, 1, D)}, updating the state: eq. 2a and 2b once. */
    public Tensor step(Tensor xt, State s) {
        check(xt);
        int batch = xt.size(0);
        Tensor x = xt.squeeze(1);                                                                // (B, D)
        Tensor delta = selective ? softplus(toDelta.forward(x)) : softplus(constDelta).expand(batch, d);
        Tensor b = selective ? toB.forward(x) : constB.expand(batch, n);                         // (B, N)
        Tensor c = selective ? toC.forward(x) : constC.expand(batch, n);                         // (B, N)
        s.h = delta.unsqueeze(2).mul(a()).exp().mul(s.h).add(delta.mul(x).unsqueeze(2).mul(b.unsqueeze(1)));
        return s.h.matmul(c.unsqueeze(2)).squeeze(2).add(x.mul(dSkip)).unsqueeze(1);             // (B, 1, D)
    }

    /** {@code A = -exp(aLog) (D, N)}. */
    Tensor a() {
        return aLog.exp().neg();
    }

    /** {@code softplus(z) = ln(1 + e^z)}, written for large z as {@code z + ln(1 + e^-z)}. */
    static Tensor softplus(Tensor z) {
        return z.relu().add(z.abs().neg().exp().add(1).log());
    }

    private void check(Tensor x) {
        if (x.dim() != 3 || x.size(2) != d) {
            throw new IllegalArgumentException("SelectiveSsm(d=" + d + "): expects (B, T, " + d + "), got "
                    + Shape.format(x.shape()));
        }
    }

    @Override
    protected String describe() {
        return "d=" + d + ", n=" + n + (selective ? "" : ", time-invariant");
    }
}
