package dev.gradbook.benchmarks;

import dev.gradbook.core.Rng;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The MLP of {@link MlpStepBenchmark} written directly on EJML: the baseline that shows what the
 * same training step costs without a tensor library or autograd, with every derivative worked
 * out by hand and every buffer allocated once.
 *
 * <p>Layers {@code l = 0 .. L-1}, batch of {@code N} rows, {@code a_0 = x}:
 * <pre>
 *   forward    z_l = a_l W_l + b_l                 (N, out_l)   W_l is stored (in, out)
 *              a_{l+1} = relu(z_l)  for l &lt; L-1,   logits = z_{L-1}
 *   loss       -1/N sum_n ln softmax(logits)[n, y_n]
 *   backward   delta_{L-1} = (softmax(logits) - onehot(y)) / N          dloss/dz_{L-1}
 *              dW_l = a_l^T delta_l,    db_l = sum_n delta_l[n, :]
 *              delta_{l-1} = (delta_l W_l^T) * [z_{l-1} &gt; 0]          (elementwise)
 *   SGD        W_l -= lr dW_l,   b_l -= lr db_l
 * </pre>
 * Storing {@code W_l} as {@code (in, out)} (PyTorch and Gradbook's {@code Linear} store
 * {@code (out, in)}) lets the forward product use the plain {@code mult}; the backward products
 * use EJML's transposed variants, so nothing is ever transposed in memory. ReLU is applied in
 * place, and {@code [z > 0]} is read back as {@code [a > 0]}.
 *
 * <p>Not thread-safe; the products run on the calling thread ({@code CommonOps_FDRM}).
 */
final class EjmlMlp {

    private final int layers;
    private final FMatrixRMaj[] weight;       // W_l (in_l, out_l)
    private final FMatrixRMaj[] bias;         // b_l (1, out_l)
    private final FMatrixRMaj[] gradWeight;   // dloss/dW_l
    private final FMatrixRMaj[] gradBias;     // dloss/db_l
    private final FMatrixRMaj[] input;        // a_l, the input of layer l (a_0 = x, not owned)
    private final FMatrixRMaj[] output;       // z_l, then relu(z_l) = a_{l+1} in place for hidden layers
    private final FMatrixRMaj[] delta;        // dloss/dz_l

    /**
     * {@code sizes = {784, 256, 256, 10}} is Linear(784, 256), ReLU, Linear(256, 256), ReLU,
     * Linear(256, 10), with PyTorch's default initialisation {@code U(-1/sqrt(in), 1/sqrt(in))}.
     */
    EjmlMlp(int[] sizes, int batch, Rng rng) {
        layers = sizes.length - 1;
        weight = new FMatrixRMaj[layers];
        bias = new FMatrixRMaj[layers];
        gradWeight = new FMatrixRMaj[layers];
        gradBias = new FMatrixRMaj[layers];
        input = new FMatrixRMaj[layers];
        output = new FMatrixRMaj[layers];
        delta = new FMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float bound = (float) (1 / Math.sqrt(in));
            weight[l] = uniform(rng, bound, in, out);
            bias[l] = uniform(rng, bound, 1, out);
            gradWeight[l] = new FMatrixRMaj(in, out);
            gradBias[l] = new FMatrixRMaj(1, out);
            output[l] = new FMatrixRMaj(batch, out);
            delta[l] = new FMatrixRMaj(batch, out);
        }
    }

    /**
     * Sets layer {@code l} to the weights of a PyTorch-style layer: {@code weightOutIn} holds
     * {@code (out, in)} row-major (as Gradbook's and PyTorch's {@code Linear} store it) and is
     * transposed into this class's {@code (in, out)}.
     */
    void setLayer(int l, float[] weightOutIn, float[] biasOut) {
        int in = weight[l].numRows;
        int out = weight[l].numCols;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                weight[l].data[i * out + o] = weightOutIn[o * in + i];
            }
        }
        System.arraycopy(biasOut, 0, bias[l].data, 0, out);
    }

    /** One training step on {@code x (N, in)} with class labels {@code y}; returns the loss before the update. */
    float step(FMatrixRMaj x, int[] y, float lr) {
        forward(x);
        float loss = softmaxCrossEntropy(output[layers - 1], y, delta[layers - 1]);
        backward();
        for (int l = 0; l < layers; l++) {
            CommonOps_FDRM.addEquals(weight[l], -lr, gradWeight[l]);
            CommonOps_FDRM.addEquals(bias[l], -lr, gradBias[l]);
        }
        return loss;
    }

    private void forward(FMatrixRMaj x) {
        FMatrixRMaj a = x;
        for (int l = 0; l < layers; l++) {
            input[l] = a;
            CommonOps_FDRM.mult(a, weight[l], output[l]);        // z_l = a_l W_l     (N, out)
            addRowToEveryRow(bias[l], output[l]);                  //     + b_l
            if (l < layers - 1) {
                reluInPlace(output[l]);                             // a_{l+1} = relu(z_l)
            }
            a = output[l];
        }
    }

    private void backward() {
        for (int l = layers - 1; l >= 0; l--) {
            CommonOps_FDRM.multTransA(input[l], delta[l], gradWeight[l]);   // dW_l = a_l^T delta_l
            CommonOps_FDRM.sumCols(delta[l], gradBias[l]);                  // db_l = column sums
            if (l > 0) {
                CommonOps_FDRM.multTransB(delta[l], weight[l], delta[l - 1]); // delta_l W_l^T
                maskByPositive(delta[l - 1], output[l - 1]);                    // * relu'(z_{l-1})
            }
        }
    }

    /**
     * The mean cross-entropy of softmax({@code logits}) against the labels, and its gradient
     * {@code (softmax - onehot) / N} written to {@code grad}. Subtracting each row's maximum
     * before {@code exp} keeps it from overflowing without changing the softmax.
     */
    static float softmaxCrossEntropy(FMatrixRMaj logits, int[] y, FMatrixRMaj grad) {
        int rows = logits.numRows;
        int cols = logits.numCols;
        float[] z = logits.data;
        float[] g = grad.data;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int at = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[at + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                g[at + c] = (float) Math.exp(z[at + c] - max);
                sum += g[at + c];
            }
            total += Math.log(sum) + max - z[at + y[r]];     // -ln softmax(z)[y] = logsumexp(z) - z[y]
            for (int c = 0; c < cols; c++) {
                g[at + c] = (float) (g[at + c] / sum) / rows;
            }
            g[at + y[r]] -= 1f / rows;
        }
        return (float) (total / rows);
    }

    private static void addRowToEveryRow(FMatrixRMaj row, FMatrixRMaj m) {
        float[] b = row.data;
        float[] d = m.data;
        for (int r = 0; r < m.numRows; r++) {
            int at = r * m.numCols;
            for (int c = 0; c < m.numCols; c++) {
                d[at + c] += b[c];
            }
        }
    }

    private static void reluInPlace(FMatrixRMaj m) {
        float[] d = m.data;
        for (int i = 0; i < m.getNumElements(); i++) {
            d[i] = Math.max(d[i], 0f);
        }
    }

    /** {@code g = g * [a > 0]}: the derivative of ReLU, read from its output. */
    private static void maskByPositive(FMatrixRMaj g, FMatrixRMaj a) {
        float[] gd = g.data;
        float[] ad = a.data;
        for (int i = 0; i < g.getNumElements(); i++) {
            gd[i] = ad[i] > 0 ? gd[i] : 0f;
        }
    }

    private static FMatrixRMaj uniform(Rng rng, float bound, int rows, int cols) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (2 * rng.nextFloat() - 1) * bound;
        }
        return m;
    }
}
