package dev.gradbook.core;

import dev.gradbook.core.kernels.Kernels;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of {@code float} (float32), stored row-major and contiguous in one
 * {@code float[]}, that remembers how it was computed so that gradients can flow back through it.
 *
 * <p>Reading guide. This class holds the data, the factories and the autograd bookkeeping; the
 * ops themselves live one family per file, each forward next to its backward:
 * {@link Elementwise} (arithmetic and activations, with broadcasting), {@link Reductions}
 * (sum, mean, max, var, softmax), {@link ShapeOps} (reshape, permute, slicing, cat) and
 * {@link Matmul}. The methods here are the fluent front door: {@code x.matmul(w).add(b).relu()}.
 *
 * <p>Conventions.
 * <ul>
 *   <li>Ops return new tensors and never modify their inputs. The few methods that write into a
 *       tensor end in {@code InPlace}; optimizers and kernels use them, models should not.</li>
 *   <li>Dimensions may be negative: {@code -1} is the last one.</li>
 *   <li>Index tensors (for {@link #gather}, the result of {@link #argmax}) are {@link IntTensor}s;
 *       {@link #toIntTensor()} is the explicit way from whole-number values to indices.</li>
 *   <li>Shape errors are {@link IllegalArgumentException}s naming the op and the shapes.</li>
 * </ul>
 *
 * <p>Autograd. A tensor created with {@link #requiresGrad(boolean) requiresGrad(true)} is a leaf
 * whose gradient you want. Every op on such a tensor records its inputs and a backward closure
 * on its output (see {@link Autograd}); {@link #backward()} then fills {@link #grad()} of every
 * leaf by the chain rule.
 */
public final class Tensor {
    private static final Tensor[] NO_INPUTS = new Tensor[0];
    /** {@link #savedVersions} when every tensor it would list was at version 0 (most ops): no array needed. */
    private static final int[] ALL_AT_ZERO = new int[0];
    /** The backward of an op whose graph an earlier backward freed ({@link #checkSavedVersions()} reports it). */
    private static final Autograd.Backward FREED = g -> {
        throw new IllegalStateException("backward: the graph was freed");
    };

    private final float[] data;
    private final int[] shape;

    private boolean requiresGrad;
    private Tensor grad;
    /**
     * True while {@link #grad} is storage this tensor does not own (an upstream gradient passed
     * through unchanged, or a view of it): it is read, never written; the next gradient to arrive
     * is then added into a fresh tensor (copy on write). Only non-leaf tensors borrow; a leaf's
     * gradient is always its own, since clipping and optimizers write into it.
     */
    private boolean gradBorrowed;
    /** The op that produced this tensor, its inputs and its local derivative; null/empty for a leaf. */
    private String op;
    private Tensor[] inputs = NO_INPUTS;
    private Autograd.Backward backwardFn;
    /**
     * Bumped by every in-place write, and shared by the tensors that share this storage
     * ({@link #reshape}, {@link #detach}): a write through one is a write to all. Null means
     * version 0 and no sharer yet (most tensors are never written in place: no allocation).
     */
    private int[] version;
    /**
     * The versions of {@link #inputs} and then of this tensor when the op was recorded
     * ({@link #ALL_AT_ZERO} if all were 0); null once an earlier backward freed the graph.
     */
    private int[] savedVersions;
    /** Set when the {@link StepArena} scope that lent this tensor's storage closed: it may no longer be read. */
    private boolean released;

    /** Wraps {@code data} (not copied) as a tensor of {@code shape}. */
    Tensor(float[] data, int[] shape) {
        this(data, shape, null);
    }

    private Tensor(float[] data, int[] shape, int[] version) {
        int n = Shape.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("tensor: shape " + Shape.format(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape;
        this.version = version;
        StepArena.track(this, data);
    }

    /** A tensor of {@code newShape} sharing this one's storage and its version counter. */
    Tensor view(int[] newShape) {
        checkNotReleased();
        if (version == null) {
            version = new int[1];
        }
        return new Tensor(data, newShape, version);
    }

    private int version() {
        return version == null ? 0 : version[0];
    }

    // ---------------------------------------------------------------- creation

    /** A tensor holding a copy of {@code values} with the given shape ({@code [values.length]} if none is given). */
    public static Tensor of(float[] values, int... shape) {
        return new Tensor(values.clone(), shape.length == 0 ? new int[] {values.length} : shape.clone());
    }

    /** A 1-D tensor of the given values. */
    public static Tensor vector(float... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("tensor: row " + r + " has " + rows[r].length
                        + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new Tensor(data, new int[] {rows.length, cols});
    }

    /** A 3-D tensor from equally shaped matrices. */
    public static Tensor of(float[][][] blocks) {
        Tensor[] parts = new Tensor[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            parts[i] = of(blocks[i]);
        }
        return blocks.length == 0 ? zeros(0, 0, 0) : stack(List.of(parts), 0);
    }

    /** A tensor of {@code shape} from double values (rounded to float), handy with EJML results. */
    public static Tensor fromDoubles(double[] values, int... shape) {
        float[] data = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (float) values[i];
        }
        return new Tensor(data, shape.length == 0 ? new int[] {values.length} : shape.clone());
    }

    /**
     * Wraps {@code data} without copying: the tensor and the array share storage. For kernels,
     * loaders and layers that fill an array and hand it over; everyone else wants {@link #of}.
     */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, shape.clone());
    }

    /** A 0-dimensional tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shape.numel(shape)];
        Arrays.fill(data, value);
        return new Tensor(data, shape.clone());
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** {@code 0, 1, ..., end-1}. */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /** {@code start, start+step, ...} up to but excluding {@code end}. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / (double) step));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (start + i * (double) step);
        }
        return new Tensor(data, new int[] {n});
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end}, both included. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        float[] data = new float[steps];
        for (int i = 0; i < steps; i++) {
            data[i] = steps == 1 ? start : (float) (start + (end - (double) start) * i / (steps - 1));
        }
        return new Tensor(data, new int[] {steps});
    }

    /** The {@code n x n} identity matrix. */
    public static Tensor eye(int n) {
        Tensor t = zeros(n, n);
        for (int i = 0; i < n; i++) {
            t.data[i * n + i] = 1f;
        }
        return t;
    }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Uniform samples in [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        float[] data = new float[Shape.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            float v = low + (high - low) * rng.nextFloat();
            // float rounding can carry the largest draw (1 - 2^-24) up to high itself
            data[i] = v < high ? v : Math.max(low, Math.nextDown(high));
        }
        return new Tensor(data, shape.clone());
    }

    /** Standard normal samples. */
    public static Tensor randn(Rng rng, int... shape) {
        return normal(rng, 0f, 1f, shape);
    }

    /** Normal samples with the given mean and standard deviation. */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        float[] data = new float[Shape.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (mean + std * rng.nextGaussian());
        }
        return new Tensor(data, shape.clone());
    }

    /** Uniform whole numbers in [low, high) as float values; for indices use {@link IntTensor#randint}. */
    public static Tensor randint(Rng rng, int low, int high, int... shape) {
        float[] data = new float[Shape.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextInt(low, high);
        }
        return new Tensor(data, shape.clone());
    }

    /** 1 with probability {@code p}, else 0. */
    public static Tensor bernoulli(Rng rng, float p, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: probability must be in [0, 1], got " + p);
        }
        float[] data = new float[Shape.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextFloat() < p ? 1f : 0f;
        }
        return new Tensor(data, shape.clone());
    }

    // ---------------------------------------------------------------- inspection

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dimension ({@code -1} is the last). */
    public int size(int dim) {
        return shape[Shape.dim("size", dim, shape.length)];
    }

    /** The number of dimensions (0 for a scalar). */
    public int dim() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    /**
     * The backing array, row-major: element {@code [i, j]} of a {@code [R, C]} tensor is
     * {@code data()[i * C + j]}. Writing into it changes the tensor (and bypasses autograd).
     */
    public float[] data() {
        checkNotReleased();
        return data;
    }

    /** A copy of the values. */
    public float[] toArray() {
        return data().clone();
    }

    /** The value at one position, e.g. {@code t.get(1, 2)}. */
    public float get(int... index) {
        return data()[offset("get", index)];
    }

    /** The value of a one-element tensor. */
    public float item() {
        checkNotReleased();
        if (data.length != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shape.format(shape)
                    + " has " + data.length + " elements, not 1");
        }
        return data[0];
    }

    private int offset(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has "
                    + index.length + " coordinates, tensor has shape " + Shape.format(shape));
        }
        int off = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IllegalArgumentException(op + ": index " + Arrays.toString(index)
                        + " is out of bounds for shape " + Shape.format(shape));
            }
            off = off * shape[d] + i;
        }
        return off;
    }

    /** Whether any element is NaN or infinite. */
    public boolean hasNonFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Same shape and every pair of elements within {@code atol + rtol * |other|}; NaN matches
     * NaN and an infinity matches only itself.
     */
    public boolean allClose(Tensor other, float rtol, float atol) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        checkNotReleased();
        float[] o = other.data();
        for (int i = 0; i < data.length; i++) {
            float a = data[i];
            float b = o[i];
            // infinities are close only to themselves: rtol * |inf| would accept anything
            boolean close = a == b
                    || (Float.isNaN(a) && Float.isNaN(b))
                    || (Float.isFinite(b) && Math.abs(a - b) <= atol + rtol * Math.abs(b));
            if (!close) {
                return false;
            }
        }
        return true;
    }

    /**
     * The values as indices, same shape. Throws if any value is not a whole number in int range:
     * the one explicit way from float values to indices.
     */
    public IntTensor toIntTensor() {
        checkNotReleased();
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("toIntTensor: value " + v + " at flat position " + i
                        + " is not a whole number");
            }
            out[i] = (int) v;
        }
        return IntTensor.wrap(out, shape.clone());
    }

    /** Shape and values, truncated when large, and the op that made it. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ---------------------------------------------------------------- autograd

    /** Marks a leaf as wanting a gradient. Returns this tensor. */
    public Tensor requiresGrad(boolean wanted) {
        if (!isLeaf()) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can be marked; this one was made by '"
                    + op + "' (use detach() for a new leaf)");
        }
        this.requiresGrad = wanted;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for tensors not produced by a recorded op: inputs and parameters. */
    public boolean isLeaf() {
        return backwardFn == null;
    }

    /** d(loss)/d(this) after {@link #backward()}, or null if no gradient reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /** The name of the op that produced this tensor, or null for a leaf. */
    public String op() {
        return op;
    }

    Tensor[] inputs() {
        return inputs;
    }

    Autograd.Backward backwardFn() {
        return backwardFn;
    }

    /** Forgets the gradient, so the next backward starts from zero. */
    public void zeroGrad() {
        grad = null;
        gradBorrowed = false;
    }

    void clearGrad() {
        zeroGrad();
    }

    /** A tensor sharing this one's data but cut from the graph: gradients stop here. */
    public Tensor detach() {
        return view(shape);
    }

    /** A detached copy with its own storage. */
    public Tensor copy() {
        return new Tensor(data().clone(), shape);
    }

    /**
     * Back-propagates from a scalar: fills {@code grad} of every leaf that requires it, then frees
     * the graph (a second backward through it throws; see {@link #backward(boolean)}).
     */
    public void backward() {
        backward(false);
    }

    /**
     * Back-propagates from a scalar. With {@code retainGraph} the graph is kept, so that a later
     * backward may run through it again (PyTorch's {@code retain_graph}); otherwise each op's
     * saved tensors are released as soon as the pass is over.
     */
    public void backward(boolean retainGraph) {
        if (data.length != 1) {
            throw new IllegalArgumentException("backward: only a one-element tensor can start backward without a "
                    + "gradient; this one has shape " + Shape.format(shape) + " (pass backward(gradOutput))");
        }
        backward(onesLike(this), retainGraph);
    }

    /** Back-propagates from this tensor, given d(loss)/d(this), then frees the graph. */
    public void backward(Tensor gradOutput) {
        backward(gradOutput, false);
    }

    /** Back-propagates from this tensor, given d(loss)/d(this); keeps the graph if {@code retainGraph}. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        checkNotReleased();
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this tensor does not require grad: no input had "
                    + "requiresGrad(true), or it was computed in a no-grad scope");
        }
        if (!Arrays.equals(shape, gradOutput.shape)) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.format(gradOutput.shape)
                    + " does not match tensor shape " + Shape.format(shape));
        }
        Autograd.run(this, gradOutput, retainGraph);
    }

    /**
     * Throws if an input of this tensor's op, or this tensor itself, was written in place since
     * the op was recorded: its backward would read the new values and return a wrong gradient.
     * Every input counts as saved (ops do not declare which ones their backward reads).
     */
    void checkSavedVersions() {
        checkNotReleased();
        if (savedVersions == null) {
            throw new IllegalStateException("backward: a second pass through '" + op + "' (output shape "
                    + Shape.format(shape) + "), whose graph an earlier backward() already freed; call "
                    + "backward(true) (retainGraph) the first time to run backward through it again");
        }
        boolean allZero = savedVersions == ALL_AT_ZERO;
        for (int i = 0; i < inputs.length; i++) {
            int saved = allZero ? 0 : savedVersions[i];
            if (inputs[i].version() != saved) {
                throw modifiedSince(inputs[i], "an input of shape " + Shape.format(inputs[i].shape), saved);
            }
        }
        int savedOwn = allZero ? 0 : savedVersions[inputs.length];
        if (version() != savedOwn) {
            throw modifiedSince(this, "its output of shape " + Shape.format(shape), savedOwn);
        }
    }

    private IllegalStateException modifiedSince(Tensor t, String which, int saved) {
        return new IllegalStateException("backward: '" + op + "' needs " + which + " as it was in the forward pass, "
                + "but it has been modified in place since (version " + t.version() + ", saved at version "
                + saved + "); compute the loss again after the in-place write, or write to a copy()");
    }

    /**
     * Called when the {@link StepArena} scope that lent this tensor's storage closes: the storage
     * will hold another step's values, so reading this tensor, or running backward through it,
     * throws from now on.
     */
    void release() {
        released = true;
        grad = null;
        if (!isLeaf()) {
            freeGraph();
        }
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("tensor of shape " + Shape.format(shape) + (op == null ? "" : " made by '"
                    + op + "'") + " was released when the StepArena scope it was computed in closed; read what "
                    + "you need inside the scope, or keep a copy()");
        }
    }

    /** Drops this op's references to its inputs, so their memory can be released; backward through it then throws. */
    void freeGraph() {
        inputs = NO_INPUTS;
        savedVersions = null;
        backwardFn = FREED;
    }

    /**
     * Adds {@code g} to this tensor's gradient. If {@code g} has a broadcast shape (because this
     * tensor was stretched in the forward pass), it is first summed back to this tensor's shape:
     * a value used many times receives the sum of the gradients of all its uses.
     *
     * <p>{@code g} may be shared (an op that passes its output's gradient through, like
     * {@code add} or {@code reshape}, hands the same storage to several inputs), so it is never
     * written into: a non-leaf borrows it until a second gradient arrives, a leaf copies it.
     */
    void accumulateGrad(Tensor g) {
        accumulate(g, false);
    }

    /**
     * {@link #accumulateGrad}, for a {@code g} computed for this input alone (a fresh tensor no one
     * else holds, such as a matrix product in backward): it becomes the gradient's storage as is.
     */
    void accumulateOwnGrad(Tensor g) {
        accumulate(g, true);
    }

    private void accumulate(Tensor g, boolean own) {
        if (!requiresGrad) {
            return;
        }
        Tensor reduced = Reductions.sumToShape(g, shape);
        boolean fresh = own || reduced.data() != g.data();   // summed back to our shape: a new tensor
        if (grad == null) {
            if (fresh || !isLeaf()) {
                grad = reduced;
                gradBorrowed = !fresh;
                if (isLeaf()) {
                    StepArena.keep(reduced.data());     // a leaf's gradient outlives the step
                }
            } else {
                grad = reduced.copy();
            }
        } else if (gradBorrowed) {
            grad = grad.copy().addInPlace(reduced);
            gradBorrowed = false;
        } else {
            grad.addInPlace(reduced);
        }
    }

    /**
     * This tensor's gradient, created as zeros if no gradient has arrived yet, and owned by this
     * tensor: for backward passes that add into part of it (see {@code narrow}).
     */
    Tensor gradBuffer() {
        if (grad == null) {
            grad = zeros(shape);
        } else if (gradBorrowed) {
            grad = grad.copy();
        }
        gradBorrowed = false;
        return grad;
    }

    /**
     * Called by every op on its fresh output: if gradients are being recorded and some input
     * needs one, remember the op's name, its inputs and its local derivative. Returns this.
     */
    Tensor recordOp(String opName, Autograd.Backward backward, Tensor... from) {
        if (Autograd.isAnomalyDetectionEnabled() && hasNonFinite()) {
            boolean inputsFinite = true;
            for (Tensor t : from) {
                inputsFinite &= !t.hasNonFinite();
            }
            if (inputsFinite) {
                throw new ArithmeticException("anomaly: '" + opName + "' produced a NaN or infinite value from "
                        + "finite inputs (output shape " + Shape.format(shape) + ")");
            }
        }
        if (!Autograd.isGradEnabled()) {
            return this;
        }
        for (Tensor t : from) {
            if (t.requiresGrad) {
                this.op = opName;
                this.inputs = from;
                this.backwardFn = backward;
                this.requiresGrad = true;
                this.savedVersions = saveVersions(from);
                return this;
            }
        }
        return this;
    }

    private int[] saveVersions(Tensor[] from) {
        boolean allZero = version() == 0;
        for (Tensor t : from) {
            allZero &= t.version() == 0;
        }
        if (allZero) {
            return ALL_AT_ZERO;
        }
        int[] saved = new int[from.length + 1];
        for (int i = 0; i < from.length; i++) {
            saved[i] = from[i].version();
        }
        saved[from.length] = version();
        return saved;
    }

    // ---------------------------------------------------------------- in place (optimizers, kernels)

    /**
     * Every in-place method calls this first. Writing into a tensor that requires a gradient
     * while the graph is being recorded would go unrecorded, and the gradient would be silently
     * wrong, so it throws; optimizers and initializers write inside {@link Autograd#noGrad()}.
     * The write then bumps the version counter, so that a backward that saved the old values
     * refuses to run (see {@link #checkSavedVersions()}).
     */
    private void beforeInPlace(String opName) {
        checkNotReleased();
        if (requiresGrad && Autograd.isGradEnabled()) {
            throw new IllegalStateException(opName + ": in-place write to a " + (isLeaf() ? "leaf" : "result of '"
                    + op + "'") + " of shape " + Shape.format(shape) + " that requires grad, while gradients are "
                    + "recorded; do it inside Autograd.noGrad() (as optimizers do) or on a copy()");
        }
        if (version == null) {
            version = new int[1];
        }
        version[0]++;
    }

    /**
     * Says that this tensor's values were changed through {@link #data()}, as optimizers do: a
     * backward that saved the old values then refuses to run. The methods below do it themselves.
     */
    public void markModifiedInPlace() {
        beforeInPlace("markModifiedInPlace");
    }

    /** {@code this += other} (other broadcast to this shape). Bypasses autograd (see {@link #beforeInPlace}). */
    public Tensor addInPlace(Tensor other) {
        return addInPlace(other, 1f);
    }

    /** {@code this += alpha * other} (other broadcast to this shape). Bypasses autograd (see {@link #beforeInPlace}). */
    public Tensor addInPlace(Tensor other, float alpha) {
        beforeInPlace("addInPlace");
        float[] o = Arrays.equals(shape, other.shape) ? other.data() : other.expand(shape).data();
        for (int i = 0; i < data.length; i++) {
            data[i] += alpha * o[i];
        }
        return this;
    }

    /** {@code this *= factor}. Bypasses autograd (see {@link #beforeInPlace}). */
    public Tensor mulInPlace(float factor) {
        beforeInPlace("mulInPlace");
        for (int i = 0; i < data.length; i++) {
            data[i] *= factor;
        }
        return this;
    }

    /** Sets every element to {@code value}. Bypasses autograd (see {@link #beforeInPlace}). */
    public Tensor fillInPlace(float value) {
        beforeInPlace("fillInPlace");
        Arrays.fill(data, value);
        return this;
    }

    /** Copies {@code source}'s values (same number of elements) into this tensor. Bypasses autograd (see {@link #beforeInPlace}). */
    public Tensor copyInPlace(Tensor source) {
        if (source.data().length != data.length) {
            throw new IllegalArgumentException("copyInPlace: source shape " + Shape.format(source.shape)
                    + " does not fit shape " + Shape.format(shape));
        }
        beforeInPlace("copyInPlace");
        System.arraycopy(source.data(), 0, data, 0, data.length);
        return this;
    }

    /** Sets one element. Bypasses autograd (see {@link #beforeInPlace}). */
    public Tensor setInPlace(float value, int... index) {
        int at = offset("setInPlace", index);
        beforeInPlace("setInPlace");
        data[at] = value;
        return this;
    }

    // ---------------------------------------------------------------- elementwise (Elementwise.java)

    /** {@code this + other}, broadcasting. Derivative: {@code d(a+b)/da = 1}, {@code d(a+b)/db = 1} (gradients summed back over broadcast dimensions). */
    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    /** {@code this + value}. Derivative: {@code d(a+c)/da = 1}. */
    public Tensor add(float value) {
        return Elementwise.add(this, scalar(value));
    }

    /** {@code this - other}, broadcasting. Derivative: {@code d(a-b)/da = 1}, {@code d(a-b)/db = -1}. */
    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    /** {@code this - value}. Derivative: {@code d(a-c)/da = 1}. */
    public Tensor sub(float value) {
        return Elementwise.sub(this, scalar(value));
    }

    /** {@code this * other} elementwise, broadcasting. Derivative: {@code d(ab)/da = b}, {@code d(ab)/db = a}. */
    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    /** {@code this * value}. Derivative: {@code d(ca)/da = c}. */
    public Tensor mul(float value) {
        return Elementwise.mul(this, scalar(value));
    }

    /** {@code this / other} elementwise, broadcasting. Derivative: {@code d(a/b)/da = 1/b}, {@code d(a/b)/db = -a/b^2}. */
    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    /** {@code this / value}. Derivative: {@code d(a/c)/da = 1/c}. */
    public Tensor div(float value) {
        return Elementwise.div(this, scalar(value));
    }

    /** {@code -this}. Derivative: {@code d(-a)/da = -1}. */
    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** {@code this^p}. Derivative: {@code d(a^p)/da = p a^(p-1)} (0 everywhere for {@code p = 0}). */
    public Tensor pow(float exponent) {
        return Elementwise.pow(this, exponent);
    }

    /**
     * {@code this ^ exponent} elementwise, the two broadcast together, as {@code torch.pow}. For a
     * negative base the power is real only for a whole-number exponent ({@code (-2)^3 = -8}), NaN
     * otherwise; {@code 0^0 = 1}, {@code 0^-1 = +inf}. Gradients, as PyTorch defines them:
     * <pre>
     *   d(a^b)/da = b a^(b-1)     (0 where b = 0)
     *   d(a^b)/db = a^b ln a      (0 where a = 0 and b >= 0; NaN where a &lt; 0)
     * </pre>
     */
    public Tensor pow(Tensor exponent) {
        return Elementwise.pow(this, exponent);
    }

    /** {@code this^2}. Derivative: {@code d(a^2)/da = 2a}. */
    public Tensor square() {
        return Elementwise.pow(this, 2f);
    }

    /** {@code e^this}. Derivative: {@code d(e^a)/da = e^a}, the output itself. */
    public Tensor exp() {
        return Elementwise.exp(this);
    }

    /** The natural logarithm. Derivative: {@code d(ln a)/da = 1/a}. */
    public Tensor log() {
        return Elementwise.log(this);
    }

    /** {@code sqrt(this)}. Derivative: {@code d(sqrt a)/da = 1 / (2 sqrt a)}. */
    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** {@code |this|}. Derivative: {@code d|a|/da = sign(a)}, 0 at 0 (the subgradient PyTorch picks). */
    public Tensor abs() {
        return Elementwise.abs(this);
    }

    /** Each element limited to {@code [min, max]}. Derivative: 1 inside the interval, 0 where the value was clipped. */
    public Tensor clamp(float min, float max) {
        return Elementwise.clamp(this, min, max);
    }

    /** The hyperbolic tangent. Derivative: {@code d(tanh a)/da = 1 - tanh(a)^2}. */
    public Tensor tanh() {
        return Elementwise.tanh(this);
    }

    /** The logistic function {@code sigma(a) = 1 / (1 + e^-a)}. Derivative: {@code sigma(a) (1 - sigma(a))}. */
    public Tensor sigmoid() {
        return Elementwise.sigmoid(this);
    }

    /** {@code max(a, 0)}. Derivative: 1 where {@code a > 0}, else 0. */
    public Tensor relu() {
        return Elementwise.relu(this);
    }

    /** {@code a} where {@code a > 0}, else {@code negativeSlope * a}. Derivative: 1 where {@code a > 0}, else the slope. */
    public Tensor leakyRelu(float negativeSlope) {
        return Elementwise.leakyRelu(this, negativeSlope);
    }

    /** GELU with the exact Gaussian CDF: {@code x * Phi(x)}. Derivative: {@code Phi(x) + x * phi(x)}, phi the normal density. */
    public Tensor gelu() {
        return Elementwise.gelu(this);
    }

    /**
     * GELU with GPT-2's tanh approximation, {@code 0.5 x (1 + tanh u)}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)}.
     * Derivative: {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) du/dx}, {@code du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}.
     */
    public Tensor geluTanh() {
        return Elementwise.geluTanh(this);
    }

    /** SiLU (swish), {@code a sigma(a)}. Derivative: {@code sigma(a) (1 + a (1 - sigma(a)))}. */
    public Tensor silu() {
        return Elementwise.silu(this);
    }

    /** The sine. Derivative: {@code d(sin a)/da = cos a}. */
    public Tensor sin() {
        return Elementwise.sin(this);
    }

    /** The cosine. Derivative: {@code d(cos a)/da = -sin a}. */
    public Tensor cos() {
        return Elementwise.cos(this);
    }

    /** The larger of the two, elementwise, broadcasting. Derivative: the gradient goes to the larger input; on a tie it is split evenly. */
    public Tensor maximum(Tensor other) {
        return Elementwise.maximum(this, other);
    }

    /** The smaller of the two, elementwise, broadcasting. Derivative: the gradient goes to the smaller input; on a tie it is split evenly. */
    public Tensor minimum(Tensor other) {
        return Elementwise.minimum(this, other);
    }

    /** 1 where {@code this > other}, else 0 (no gradient). Likewise {@link #ge}, {@link #lt}, ... */
    public Tensor gt(Tensor other) {
        return Elementwise.compare("gt", this, other, (a, b) -> a > b);
    }

    public Tensor gt(float value) {
        return gt(scalar(value));
    }

    public Tensor ge(Tensor other) {
        return Elementwise.compare("ge", this, other, (a, b) -> a >= b);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.compare("lt", this, other, (a, b) -> a < b);
    }

    public Tensor lt(float value) {
        return lt(scalar(value));
    }

    public Tensor le(Tensor other) {
        return Elementwise.compare("le", this, other, (a, b) -> a <= b);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.compare("eq", this, other, (a, b) -> a == b);
    }

    public Tensor eq(float value) {
        return eq(scalar(value));
    }

    public Tensor ne(Tensor other) {
        return Elementwise.compare("ne", this, other, (a, b) -> a != b);
    }

    /** {@code a} where {@code mask} is non-zero, else {@code b} (all three broadcast together). */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return Elementwise.where(mask, a, b);
    }

    /** This tensor with {@code value} wherever {@code mask} (broadcast to this shape) is non-zero. */
    public Tensor maskedFill(Tensor mask, float value) {
        return Elementwise.maskedFill(this, mask, value);
    }

    // ---------------------------------------------------------------- reductions (Reductions.java)

    /** The sum of all elements, as a scalar tensor. Derivative: {@code d(sum a)/da_i = 1} for every element. */
    public Tensor sum() {
        return Reductions.sum(this);
    }

    /** The sum along {@code dim}, that dimension removed. Derivative: {@code d(sum_j a_j)/da_j = 1}: the gradient is copied back along the dimension. */
    public Tensor sum(int dim) {
        return Reductions.sum(this, dim, false);
    }

    /** The sum along {@code dim}, kept as size 1 if {@code keepDim}. Derivative: 1 for every summed element. */
    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, dim, keepDim);
    }

    /** The mean of all elements, as a scalar. Derivative: {@code 1/n} for every element. */
    public Tensor mean() {
        return Reductions.mean(this);
    }

    /** The mean along {@code dim}, that dimension removed. Derivative: {@code 1/n} for each of the {@code n} elements averaged. */
    public Tensor mean(int dim) {
        return Reductions.mean(this, dim, false);
    }

    /** The mean along {@code dim}, kept as size 1 if {@code keepDim}. Derivative: {@code 1/n} per averaged element. */
    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, dim, keepDim);
    }

    /** The largest element (NaN if any element is NaN). Derivative: the gradient flows only to the element picked. */
    public Tensor max() {
        return Reductions.extreme(this, true);
    }

    /** The largest value along {@code dim}, that dimension removed. Derivative: the gradient flows only to the element picked. */
    public Tensor max(int dim) {
        return Reductions.extreme(this, dim, false, true).values();
    }

    /** The largest value along {@code dim}. Derivative: the gradient flows only to the element picked. */
    public Tensor max(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, true).values();
    }

    /** The largest values along {@code dim} and where they are (first occurrence). */
    public ValuesAndIndices maxWithIndices(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, true);
    }

    /** The smallest element. Derivative: the gradient flows only to the element picked. */
    public Tensor min() {
        return Reductions.extreme(this, false);
    }

    /** The smallest value along {@code dim}, that dimension removed. Derivative: the gradient flows only to the element picked. */
    public Tensor min(int dim) {
        return Reductions.extreme(this, dim, false, false).values();
    }

    /** The smallest value along {@code dim}. Derivative: the gradient flows only to the element picked. */
    public Tensor min(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, false).values();
    }

    public ValuesAndIndices minWithIndices(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, false);
    }

    /** The flat index of the largest element. */
    public int argmax() {
        return Reductions.argExtreme(this, true);
    }

    /** Where the largest value along {@code dim} is (first occurrence), as indices. */
    public IntTensor argmax(int dim) {
        return Reductions.extreme(this, dim, false, true).indices();
    }

    public IntTensor argmax(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, true).indices();
    }

    public int argmin() {
        return Reductions.argExtreme(this, false);
    }

    public IntTensor argmin(int dim) {
        return Reductions.extreme(this, dim, false, false).indices();
    }

    public IntTensor argmin(int dim, boolean keepDim) {
        return Reductions.extreme(this, dim, keepDim, false).indices();
    }

    /**
     * The {@code k} largest values along {@code dim}, largest first, and where they were
     * (equal values by lower index first; NaN counts as the largest, as in PyTorch). The
     * values are gathered from this tensor, so the gradient flows back to the picked elements.
     */
    public ValuesAndIndices topk(int k, int dim) {
        IntTensor indices = Reductions.topkIndices(this, k, dim);
        return new ValuesAndIndices(gather(dim, indices), indices);
    }

    /** Unbiased variance of all elements (divides by n - 1). */
    public Tensor var() {
        return Reductions.var(reshape(-1), 0, Correction.UNBIASED, false);
    }

    /** Unbiased variance along {@code dim} (divides by n - 1), the dimension removed. */
    public Tensor var(int dim) {
        return Reductions.var(this, dim, Correction.UNBIASED, false);
    }

    /** Variance along {@code dim} with the given divisor, the dimension removed. */
    public Tensor var(int dim, Correction correction) {
        return Reductions.var(this, dim, correction, false);
    }

    /**
     * Variance along {@code dim}, {@code sum (x - mean)^2 / (n - c)} with {@code c} from
     * {@code correction}; arguments in PyTorch's order, {@code var(dim, unbiased, keepdim)}.
     */
    public Tensor var(int dim, Correction correction, boolean keepDim) {
        return Reductions.var(this, dim, correction, keepDim);
    }

    /** Unbiased standard deviation of all elements. */
    public Tensor std() {
        return var().sqrt();
    }

    /** Unbiased standard deviation along {@code dim} (divides by n - 1), the dimension removed. Derivative: {@code d std/dx_i = (x_i - mean) / ((n - 1) std)}. */
    public Tensor std(int dim) {
        return var(dim).sqrt();
    }

    /** Standard deviation along {@code dim} with the given divisor, the dimension removed. Derivative: {@code (x_i - mean) / (divisor * std)}. */
    public Tensor std(int dim, Correction correction) {
        return var(dim, correction).sqrt();
    }

    /** {@code sqrt(var(dim, correction, keepDim))}. */
    public Tensor std(int dim, Correction correction, boolean keepDim) {
        return var(dim, correction, keepDim).sqrt();
    }

    /** {@code log(sum(exp(x)))} along {@code dim}, computed without overflow. Derivative: {@code softmax(x)} along {@code dim}. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        return Reductions.logsumexp(this, dim, keepDim);
    }

    /**
     * {@code exp(x_j) / sum_k exp(x_k)} along {@code dim}, computed without overflow: composed
     * from core ops ({@link Reductions#softmaxComposed}), or one hand-written op ({@link SoftmaxOps})
     * when {@link Kernels#useHandWrittenSoftmax} says so. Derivative, with {@code y} the output
     * and {@code g} its gradient: {@code dy_j/dx_i = y_j (delta_ij - y_i)}, so
     * {@code dx_i = y_i (g_i - sum_j g_j y_j)}.
     */
    public Tensor softmax(int dim) {
        return Kernels.handWrittenSoftmax() ? SoftmaxOps.softmax(this, dim) : Reductions.softmaxComposed(this, dim);
    }

    /**
     * {@code x_j - log sum_k exp(x_k)} along {@code dim}: exact where softmax would underflow to 0
     * (as {@link #softmax}). Derivative: {@code dy_j/dx_i = delta_ij - p_i} with {@code p = exp(y)},
     * so {@code dx_i = g_i - p_i sum_j g_j}.
     */
    public Tensor logSoftmax(int dim) {
        return Kernels.handWrittenSoftmax() ? SoftmaxOps.logSoftmax(this, dim)
                : Reductions.logSoftmaxComposed(this, dim);
    }

    /** Values with the positions they came from, as returned by {@link #maxWithIndices}. */
    public record ValuesAndIndices(Tensor values, IntTensor indices) {
    }

    // ---------------------------------------------------------------- shapes (ShapeOps.java)

    /** The same values with a new shape (one size may be -1). Shares storage with this tensor. */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /** All dimensions flattened into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Dimensions {@code startDim..endDim} (inclusive) flattened into one. */
    public Tensor flatten(int startDim, int endDim) {
        return ShapeOps.flatten(this, startDim, endDim);
    }

    /** Swaps two dimensions (a copy: tensors are contiguous). Derivative: the gradient is transposed back. */
    public Tensor transpose(int dim0, int dim1) {
        return ShapeOps.transpose(this, dim0, dim1);
    }

    /** The transpose of a matrix. */
    public Tensor t() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("t: expects a 2-D tensor, got shape " + Shape.format(shape));
        }
        return transpose(0, 1);
    }

    /** The dimensions in a new {@code order} ({@code order[i]} is the old index of new dimension i). Derivative: the gradient is permuted back by the inverse order. */
    public Tensor permute(int... order) {
        return ShapeOps.permute(this, order);
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return ShapeOps.squeeze(this);
    }

    /** Removes dimension {@code dim}, which must have size 1. Derivative: the gradient is reshaped back. */
    public Tensor squeeze(int dim) {
        return ShapeOps.squeeze(this, dim);
    }

    /** A new dimension of size 1 at {@code dim}. Derivative: the gradient is reshaped back. */
    public Tensor unsqueeze(int dim) {
        return ShapeOps.unsqueeze(this, dim);
    }

    /** Broadcasts to {@code newShape} (sizes of 1 are stretched; -1 keeps a size). */
    public Tensor expand(int... newShape) {
        return ShapeOps.expand(this, newShape);
    }

    /** {@code length} entries along {@code dim}, starting at {@code start}. */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeOps.narrow(this, dim, start, length);
    }

    /** Entries {@code [start, end)} along {@code dim}; negative bounds count from the end. */
    public Tensor slice(int dim, int start, int end) {
        int d = Shape.dim("slice", dim, shape.length);
        // like Python's x[start:end]: bounds past either end are clamped, so the slice may be empty
        int s = Math.max(0, Math.min(start < 0 ? start + shape[d] : start, shape[d]));
        int e = Math.max(0, Math.min(end < 0 ? end + shape[d] : end, shape[d]));
        return narrow(d, s, Math.max(0, e - s));
    }

    /** Entry {@code index} along {@code dim}, with that dimension removed. */
    public Tensor select(int dim, int index) {
        int d = Shape.dim("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        return narrow(d, i, 1).squeeze(d);
    }

    /** The entries at {@code indices} along {@code dim}, in that order (repeats allowed). */
    public Tensor indexSelect(int dim, int... indices) {
        return ShapeOps.indexSelect(this, dim, indices);
    }

    /** The entries at {@code indices} (a 1-D index tensor) along {@code dim}, in that order. */
    public Tensor indexSelect(int dim, IntTensor indices) {
        if (indices.dim() != 1) {
            throw new IllegalArgumentException("indexSelect: indices must be 1-D, got shape "
                    + Shape.format(indices.shape()));
        }
        return ShapeOps.indexSelect(this, dim, indices.data());
    }

    /** {@code out[i][j][k] = this[index[i][j][k]][j][k]} for dim 0, and so on for other dims. */
    public Tensor gather(int dim, IntTensor index) {
        return ShapeOps.gather(this, dim, index);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return ShapeOps.cat(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        return ShapeOps.stack(tensors, dim);
    }

    /** Pieces of {@code size} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int size, int dim) {
        return ShapeOps.split(this, size, dim);
    }

    /** {@code chunks} pieces of nearly equal size along {@code dim}. */
    public List<Tensor> chunk(int chunks, int dim) {
        int d = Shape.dim("chunk", dim, shape.length);
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + chunks);
        }
        return split(Math.max(1, (shape[d] + chunks - 1) / chunks), d);
    }

    // ---------------------------------------------------------------- matrix product (Matmul.java)

    /**
     * Matrix product with PyTorch's rules: 1-D x 1-D is a dot product, 2-D x 2-D a matrix
     * product, and higher ranks are batches of matrices whose batch dimensions broadcast.
     * Derivative: for {@code C = A B}, {@code dA = dC Bᵀ} and {@code dB = Aᵀ dC} (summed over
     * broadcast batch dimensions).
     */
    public Tensor matmul(Tensor other) {
        return Matmul.matmul(this, other);
    }

    /**
     * {@code this · otherᵀ} (transposing the last two dimensions of {@code other}) without
     * copying the transpose: {@code x.matmulT(weight)} is a linear layer with weight (out, in).
     * Derivative: for {@code C = A Bᵀ}, {@code dA = dC B} and {@code dB = dCᵀ A}.
     */
    public Tensor matmulT(Tensor other) {
        return Matmul.matmulTransposed(this, other);
    }
}
