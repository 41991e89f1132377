package dev.gradbook.core;

import static dev.gradbook.core.testing.GradCheckCases.distinct;
import static dev.gradbook.core.testing.GradCheckCases.fixed;
import static dev.gradbook.core.testing.GradCheckCases.grad;
import static dev.gradbook.core.testing.GradCheckCases.shape;

import dev.gradbook.core.testing.GradCheckCases.Case;
import dev.gradbook.core.testing.GradCheckCases.Input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference gradient checks of every differentiable op in core, one row per case.
 * Inputs are kept away from kinks (relu and abs at 0, clamp edges, max ties) and positive
 * where the op needs it (log, sqrt, fractional powers, denominators).
 */
class GradCheckTableTest {

    private static final Tensor MASK_2x3 = Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
    private static final Tensor MASK_1x3 = Tensor.of(new float[] {0, 1, 0}, 1, 3);
    /** Gather indices along dim 1 of a [2, 3] input, with repeats. */
    private static final IntTensor INDEX_DIM1 = IntTensor.of(new int[] {2, 2, 0, 1, 1, 1, 0, 2}, 2, 4);
    /** Gather indices along dim 0 of a [3, 2] input, fewer rows than the input. */
    private static final IntTensor INDEX_DIM0 = IntTensor.of(new int[] {2, 0, 2, 2}, 2, 2);

    @ParameterizedTest(name = "{0}")
    @MethodSource({"arithmetic", "functions", "reductions", "shapeOps", "matmul", "compositions"})
    void gradientMatchesFiniteDifferences(Case c) {
        c.check();
    }

    static Stream<Case> arithmetic() {
        List<Case> rows = new ArrayList<>();
        String[] names = {"add", "sub", "mul", "div"};
        for (String op : names) {
            // the denominator of div stays away from 0
            boolean div = op.equals("div");
            rows.add(grad(op + " same shape", in -> binary(op, in[0], in[1]), shape(2, 3), den(div, shape(2, 3))));
            rows.add(grad(op + " broadcast row", in -> binary(op, in[0], in[1]), shape(2, 3), den(div, shape(3))));
            rows.add(grad(op + " broadcast column", in -> binary(op, in[0], in[1]), shape(2, 3), den(div, shape(2, 1))));
            rows.add(grad(op + " broadcast left", in -> binary(op, in[0], in[1]), shape(3), den(div, shape(2, 3))));
            rows.add(grad(op + " broadcast both ways", in -> binary(op, in[0], in[1]),
                    shape(2, 1, 3), den(div, shape(4, 3))));
            rows.add(grad(op + " [2,1] with [1,3]", in -> binary(op, in[0], in[1]), shape(2, 1), den(div, shape(1, 3))));
            rows.add(grad(op + " tensor with 0-d", in -> binary(op, in[0], in[1]), shape(2, 3), den(div, shape())));
            rows.add(grad(op + " 0-d with tensor", in -> binary(op, in[0], in[1]), shape(), den(div, shape(2, 3))));
            rows.add(grad(op + " first input constant", in -> binary(op, in[0], in[1]),
                    shape(2, 3).constant(), den(div, shape(3))));
            rows.add(grad(op + " second input constant", in -> binary(op, in[0], in[1]),
                    shape(2, 3), den(div, shape(3)).constant()));
            rows.add(grad(op + " same tensor twice", in -> binary(op, in[0], in[0]), den(div, shape(2, 3))));
        }
        rows.add(grad("add float", in -> in[0].add(1.5f), shape(2, 3)));
        rows.add(grad("sub float", in -> in[0].sub(-0.25f), shape(2, 3)));
        rows.add(grad("mul float", in -> in[0].mul(-3f), shape(2, 3)));
        rows.add(grad("div float", in -> in[0].div(0.5f), shape(2, 3)));
        rows.add(grad("neg", in -> in[0].neg(), shape(2, 3)));
        rows.add(grad("pow 3 (any sign)", in -> in[0].pow(3f), shape(2, 3)));
        rows.add(grad("pow 2", in -> in[0].pow(2f), shape(2, 3)));
        rows.add(grad("pow 0.5", in -> in[0].pow(0.5f), shape(2, 3).positive()));
        rows.add(grad("pow -1.5", in -> in[0].pow(-1.5f), shape(2, 3).positive()));
        rows.add(grad("pow 2.5", in -> in[0].pow(2.5f), shape(2, 3).positive()));
        rows.add(grad("pow tensor exponent", in -> in[0].pow(in[1]), shape(2, 3).positive(), shape(2, 3)));
        rows.add(grad("pow tensor exponent broadcast", in -> in[0].pow(in[1]), shape(3, 1).positive(), shape(4)));
        rows.add(grad("pow negative base, whole exponents", in -> in[0].pow(in[1]),
                shape(2, 3).map("negative", x -> -Math.abs(x) - 0.5f), fixed(Tensor.of(new float[] {1, 2, 3, -1, -2, 0}, 2, 3)).constant()));
        rows.add(grad("square", in -> in[0].square(), shape(2, 3)));
        return rows.stream();
    }

    static Stream<Case> functions() {
        return Stream.of(
                grad("exp", in -> in[0].exp(), shape(2, 3)),
                grad("log", in -> in[0].log(), shape(2, 3).positive()),
                grad("sqrt", in -> in[0].sqrt(), shape(2, 3).positive()),
                grad("abs", in -> in[0].abs(), shape(2, 3).awayFrom(0f)),
                grad("clamp", in -> in[0].clamp(-0.5f, 0.5f), shape(3, 4).awayFrom(-0.5f, 0.5f)),
                grad("tanh", in -> in[0].tanh(), shape(2, 3)),
                grad("sigmoid", in -> in[0].sigmoid(), shape(2, 3)),
                grad("relu", in -> in[0].relu(), shape(3, 4).awayFrom(0f)),
                grad("leakyRelu", in -> in[0].leakyRelu(0.1f), shape(3, 4).awayFrom(0f)),
                grad("gelu", in -> in[0].gelu(), shape(3, 4)),
                grad("geluTanh", in -> in[0].geluTanh(), shape(3, 4)),
                grad("silu", in -> in[0].silu(), shape(3, 4)),
                grad("sin", in -> in[0].sin(), shape(2, 3)),
                grad("cos", in -> in[0].cos(), shape(2, 3)),
                grad("maximum", in -> in[0].maximum(in[1]), shape(2, 3).onGrid(0.2f, 0f), shape(2, 3).onGrid(0.2f, 0.5f)),
                grad("maximum broadcast", in -> in[0].maximum(in[1]),
                        shape(2, 3).onGrid(0.2f, 0f), shape(3).onGrid(0.2f, 0.5f)),
                grad("minimum", in -> in[0].minimum(in[1]), shape(2, 3).onGrid(0.2f, 0f), shape(2, 3).onGrid(0.2f, 0.5f)),
                grad("minimum broadcast", in -> in[0].minimum(in[1]),
                        shape(2, 1).onGrid(0.2f, 0f), shape(2, 3).onGrid(0.2f, 0.5f)),
                grad("where", in -> Tensor.where(MASK_2x3, in[0], in[1]), shape(2, 3), shape(2, 3)),
                grad("where broadcast", in -> Tensor.where(MASK_2x3, in[0], in[1]), shape(3), shape(2, 1)),
                grad("where 0-d branch", in -> Tensor.where(MASK_2x3, in[0], in[1]), shape(2, 3), shape()),
                grad("maskedFill", in -> in[0].maskedFill(MASK_2x3, -2f), shape(2, 3)),
                grad("maskedFill broadcast mask", in -> in[0].maskedFill(MASK_1x3, 9f), shape(2, 3)),
                grad("sigmoid . tanh . exp chain", in -> in[0].exp().tanh().sigmoid(), shape(2, 3)));
    }

    static Stream<Case> reductions() {
        List<Case> rows = new ArrayList<>();
        rows.add(grad("sum all", in -> in[0].sum(), shape(2, 3, 4)));
        rows.add(grad("mean all", in -> in[0].mean(), shape(2, 3, 4)));
        rows.add(grad("max all", in -> in[0].max(), distinct(2, 3, 4)));
        rows.add(grad("min all", in -> in[0].min(), distinct(2, 3, 4)));
        for (int dim = -1; dim < 3; dim++) {
            int d = dim;
            for (boolean keep : new boolean[] {false, true}) {
                String k = keep ? " keepDim" : "";
                rows.add(grad("sum dim " + d + k, in -> in[0].sum(d, keep), shape(2, 3, 4)));
                rows.add(grad("mean dim " + d + k, in -> in[0].mean(d, keep), shape(2, 3, 4)));
                rows.add(grad("max dim " + d + k, in -> in[0].max(d, keep), distinct(2, 3, 4)));
                rows.add(grad("min dim " + d + k, in -> in[0].min(d, keep), distinct(2, 3, 4)));
                rows.add(grad("logsumexp dim " + d + k, in -> in[0].logsumexp(d, keep), shape(2, 3, 4)));
                for (Correction c : Correction.values()) {
                    String u = " " + c;
                    rows.add(grad("var dim " + d + k + u, in -> in[0].var(d, c, keep), shape(2, 3, 4)));
                    // std = |a - b| / 2 over two values: distinct inputs keep it off its kink at 0
                    rows.add(grad("std dim " + d + k + u, in -> in[0].std(d, c, keep), distinct(2, 3, 4)));
                }
            }
            rows.add(grad("softmax dim " + d, in -> in[0].softmax(d), shape(2, 3, 4)));
            rows.add(grad("logSoftmax dim " + d, in -> in[0].logSoftmax(d), shape(2, 3, 4)));
            rows.add(grad("max dim " + d + " with indices", in -> in[0].maxWithIndices(d, false).values(),
                    distinct(2, 3, 4)));
        }
        rows.add(grad("var all", in -> in[0].var(), shape(3, 4)));
        rows.add(grad("std all", in -> in[0].std(), distinct(3, 4)));
        rows.add(grad("var dim 1 default", in -> in[0].var(1), shape(3, 4)));
        rows.add(grad("std dim 0 default", in -> in[0].std(0), distinct(3, 4)));
        rows.add(grad("softmax of 1-D", in -> in[0].softmax(0), shape(5)));
        rows.add(grad("logSoftmax of large logits", in -> in[0].mul(30f).logSoftmax(1), shape(2, 4))
                .tolerance(1e-3, 1e-2, 1e-3));
        return rows.stream();
    }

    static Stream<Case> shapeOps() {
        return Stream.of(
                grad("reshape", in -> in[0].reshape(6, 2), shape(3, 4)),
                grad("reshape -1", in -> in[0].reshape(-1, 3), shape(3, 4)),
                grad("reshape to 0-d", in -> in[0].reshape(), shape(1, 1)),
                grad("flatten", in -> in[0].flatten(), shape(2, 3, 4)),
                grad("flatten 1..2", in -> in[0].flatten(1, 2), shape(2, 3, 4)),
                grad("transpose 0 2", in -> in[0].transpose(0, 2), shape(2, 3, 4)),
                grad("transpose -1 -2", in -> in[0].transpose(-1, -2), shape(2, 3, 4)),
                grad("t", in -> in[0].t(), shape(2, 3)),
                grad("permute 2 0 1", in -> in[0].permute(2, 0, 1), shape(2, 3, 4)),
                grad("permute 1 2 0", in -> in[0].permute(1, 2, 0), shape(2, 3, 4)),
                grad("squeeze all", in -> in[0].squeeze(), shape(2, 1, 3, 1)),
                grad("squeeze dim", in -> in[0].squeeze(1), shape(2, 1, 3)),
                grad("unsqueeze 0", in -> in[0].unsqueeze(0), shape(2, 3)),
                grad("unsqueeze -1", in -> in[0].unsqueeze(-1), shape(2, 3)),
                grad("expand row", in -> in[0].expand(4, 3), shape(1, 3)),
                grad("expand new dims", in -> in[0].expand(2, 3, 4), shape(3, 1)),
                grad("expand -1", in -> in[0].expand(2, -1), shape(3)),
                grad("narrow", in -> in[0].narrow(1, 1, 2), shape(2, 4)),
                grad("slice", in -> in[0].slice(0, 1, 3), shape(4, 2)),
                grad("slice negative", in -> in[0].slice(-1, -3, -1), shape(2, 5)),
                grad("select", in -> in[0].select(1, 2), shape(2, 4, 3)),
                grad("select negative", in -> in[0].select(0, -1), shape(3, 2)),
                grad("indexSelect repeated", in -> in[0].indexSelect(0, 2, 0, 2, 2), shape(3, 2)),
                grad("indexSelect dim 1", in -> in[0].indexSelect(1, 1, 1, 0), shape(2, 3, 2)),
                grad("gather dim 1", in -> in[0].gather(1, INDEX_DIM1), shape(2, 3)),
                grad("gather dim 0", in -> in[0].gather(0, INDEX_DIM0), shape(3, 2)),
                grad("cat dim 0", in -> Tensor.cat(List.of(in[0], in[1]), 0), shape(2, 3), shape(1, 3)),
                grad("cat dim 1", in -> Tensor.cat(List.of(in[0], in[1], in[2]), 1), shape(2, 1), shape(2, 3), shape(2, 2)),
                grad("cat same tensor twice", in -> Tensor.cat(List.of(in[0], in[1], in[0]), -1), shape(2, 2), shape(2, 1)),
                grad("cat with a constant", in -> Tensor.cat(List.of(in[0], in[1]), 0), shape(2, 3).constant(), shape(1, 3)),
                grad("stack dim 0", in -> Tensor.stack(List.of(in[0], in[1]), 0), shape(2, 3), shape(2, 3)),
                grad("stack dim 1", in -> Tensor.stack(List.of(in[0], in[1]), 1), shape(2, 3), shape(2, 3)),
                grad("stack dim -1", in -> Tensor.stack(List.of(in[0], in[1], in[0]), -1), shape(2, 3), shape(2, 3)),
                grad("split", in -> reversedCat(in[0].split(2, 1), 1), shape(2, 5)),
                grad("split pieces used unevenly", in -> {
                    List<Tensor> parts = in[0].split(2, 0);
                    return parts.get(0).mul(parts.get(1)).sum(0).add(parts.get(2).mul(3f));
                }, shape(5, 3)),
                grad("chunk", in -> reversedCat(in[0].chunk(3, 0), 0), shape(5, 2)),
                grad("view chain", in -> in[0].reshape(2, 6).t().unsqueeze(0).expand(2, 6, 2).sum(0), shape(3, 4)),
                grad("fixed input", in -> in[0].mul(in[0]), fixed(Tensor.vector(-1.5f, 0.25f, 2f))));
    }

    static Stream<Case> matmul() {
        return Stream.of(
                grad("matmul 1-D . 1-D", in -> in[0].matmul(in[1]), shape(4), shape(4)),
                grad("matmul 1-D . 2-D", in -> in[0].matmul(in[1]), shape(3), shape(3, 4)),
                grad("matmul 2-D . 1-D", in -> in[0].matmul(in[1]), shape(3, 4), shape(4)),
                grad("matmul 2-D . 2-D", in -> in[0].matmul(in[1]), shape(2, 3), shape(3, 4)),
                grad("matmul batched 3-D . 3-D", in -> in[0].matmul(in[1]), shape(2, 2, 3), shape(2, 3, 4)),
                grad("matmul batched broadcast", in -> in[0].matmul(in[1]), shape(2, 1, 3, 4), shape(5, 4, 2)),
                grad("matmul batch of 1 broadcast", in -> in[0].matmul(in[1]), shape(1, 3, 2), shape(4, 2, 3)),
                grad("matmul 3-D . 2-D", in -> in[0].matmul(in[1]), shape(2, 3, 4), shape(4, 5)),
                grad("matmul 2-D . 3-D", in -> in[0].matmul(in[1]), shape(3, 4), shape(2, 4, 5)),
                grad("matmul 1-D . 3-D", in -> in[0].matmul(in[1]), shape(3), shape(2, 3, 4)),
                grad("matmul 3-D . 1-D", in -> in[0].matmul(in[1]), shape(2, 3, 4), shape(4)),
                grad("matmul left constant", in -> in[0].matmul(in[1]), shape(2, 3).constant(), shape(3, 4)),
                grad("matmul right constant", in -> in[0].matmul(in[1]), shape(2, 3), shape(3, 4).constant()),
                grad("matmul x . x^T", in -> in[0].matmul(in[0].t()), shape(3, 4)),
                grad("matmul linear layer", in -> in[0].matmul(in[1]).add(in[2]).tanh(), shape(4, 3), shape(3, 2), shape(2)),
                grad("matmulT 2-D", in -> in[0].matmulT(in[1]), shape(2, 3), shape(4, 3)),
                grad("matmulT 3-D . 2-D", in -> in[0].matmulT(in[1]), shape(2, 3, 4), shape(5, 4)),
                grad("matmulT batched", in -> in[0].matmulT(in[1]), shape(2, 3, 4), shape(2, 5, 4)),
                grad("matmulT batched broadcast", in -> in[0].matmulT(in[1]), shape(2, 1, 3, 4), shape(5, 2, 4)),
                grad("matmulT x . x^T", in -> in[0].matmulT(in[0]), shape(3, 4)),
                grad("matmulT right constant", in -> in[0].matmulT(in[1]), shape(2, 3), shape(4, 3).constant()));
    }

    /** Small models built from the primitives, the way nn builds its layers. */
    static Stream<Case> compositions() {
        IntTensor targets = IntTensor.of(new int[] {2, 0, 1}, 3, 1);
        return Stream.of(
                grad("layer norm", in -> {
                    Tensor x = in[0];
                    Tensor centred = x.sub(x.mean(-1, true));
                    return centred.div(x.var(-1, Correction.BIASED, true).add(1e-5f).sqrt()).mul(in[1]).add(in[2]);
                }, shape(3, 4), shape(4), shape(4)),
                grad("cross entropy", in -> in[0].logSoftmax(1).gather(1, targets).mean().neg(), shape(3, 4)),
                grad("attention", in -> {
                    Tensor scores = in[0].matmulT(in[1]).div((float) Math.sqrt(4));
                    Tensor causal = Tensor.of(new float[] {0, 1, 1, 0, 0, 1, 0, 0, 0}, 3, 3);
                    return scores.maskedFill(causal, Float.NEGATIVE_INFINITY).softmax(-1).matmul(in[2]);
                }, shape(2, 3, 4), shape(2, 3, 4), shape(2, 3, 4)),
                grad("mlp", in -> in[0].matmul(in[1]).gelu().matmul(in[2]).sum(-1),
                        shape(5, 3), shape(3, 4), shape(4, 2)));
    }

    private static Tensor binary(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Input den(boolean positive, Input in) {
        return positive ? in.positive() : in;
    }

    private static Tensor reversedCat(List<Tensor> parts, int dim) {
        List<Tensor> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        return Tensor.cat(reversed, dim);
    }
}
