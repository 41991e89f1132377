package dev.gradbook.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reuses the storage of one training step's intermediate tensors in the next step. Every op
 * returns a new tensor (STYLE point 6), so a step of a small GPT allocates about a hundred
 * megabytes of arrays (activations, their gradients, products) that are garbage a moment later.
 * The JVM's collector copes, but it grows the heap to gigabytes to do so and spends the time of
 * its collections and of the page faults of the fresh memory. An arena lends that storage to the
 * step instead and takes it back when the step ends, so that from the second step on the arrays
 * are the same ones:
 * <pre>{@code
 * StepArena arena = new StepArena();              // once, before the training loop
 * for (int step = 0; step < steps; step++) {
 *     float lossValue;
 *     try (var scope = arena.open()) {
 *         Tensor loss = model.loss(x, y);
 *         optimizer.zeroGrad();
 *         loss.backward();
 *         optimizer.step();
 *         lossValue = loss.item();                // read what you need before the scope closes
 *     }
 * }
 * }</pre>
 *
 * <p><b>What the scope takes back.</b> While a scope is open on a thread, the outputs of the ops
 * that thread runs (and the gradients backward computes) take their storage from the arena
 * ({@link #floats}). Closing the scope takes all of it back and <em>releases</em> those tensors:
 * reading one afterwards ({@code data()}, {@code item()}, an op, a backward through its graph)
 * throws an {@link IllegalStateException} that says so. Nothing is recycled silently: a tensor
 * that was kept by mistake fails loudly. Not taken back, because they outlive the step:
 * <ul>
 *   <li>tensors made before the scope or by the factories ({@code zeros}, {@code randn},
 *       {@code of}, {@code copy()}, ...): parameters, inputs, optimizer state;</li>
 *   <li>the gradients of leaves ({@code parameter.grad()}): the optimizer and the clipping read
 *       them, and they stay readable after the scope, as without an arena.</li>
 * </ul>
 * Keep a result past the step by reading its numbers inside the scope, or with {@code copy()}.
 *
 * <p><b>Same numbers.</b> Every array lent is zero-filled, as a new one would be, so a step gives
 * the same bits with and without an arena. Scopes are per thread and do not nest; the kernels'
 * worker threads only write into storage their caller was lent.
 */
public final class StepArena {
    private static final ThreadLocal<StepArena> OPEN = new ThreadLocal<>();

    /** Arrays taken back, by length, ready to lend again. */
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /**
     * Arrays lent in the open scope, in order, with the tensors made over each (views share one
     * array). Arrays hash by identity; the insertion order keeps the reuse order deterministic.
     */
    private final Map<float[], List<Tensor>> lent = new LinkedHashMap<>();
    private long pooledFloats;

    /** Opens a scope on this thread: until it is closed, ops take their storage from this arena. */
    public Scope open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("StepArena.open: a scope is already open on this thread (scopes do not nest)");
        }
        OPEN.set(this);
        return new Scope();
    }

    /** The floats this arena holds to lend: about one step's worth of intermediate storage. */
    public long pooledFloats() {
        return pooledFloats;
    }

    /** The open scope of one step; closing it takes back and releases what the step was lent. */
    public final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            OPEN.remove();
            takeBack();
        }
    }

    /**
     * {@code n} zeros for an op's output or gradient: lent by the arena open on this thread, or a
     * new array if there is none. Fast kernels outside core call it for the tensors they return.
     */
    public static float[] floats(int n) {
        StepArena arena = OPEN.get();
        return arena == null ? new float[n] : arena.lend(n);
    }

    private float[] lend(int n) {
        ArrayDeque<float[]> stack = free.get(n);
        float[] array;
        if (stack == null || stack.isEmpty()) {
            array = new float[n];
            pooledFloats += n;
        } else {
            array = stack.pop();
            java.util.Arrays.fill(array, 0f);
        }
        lent.put(array, new ArrayList<>(2));
        return array;
    }

    /** Called for every new tensor: if its storage was lent in the open scope, it is released with it. */
    static void track(Tensor t, float[] data) {
        StepArena arena = OPEN.get();
        if (arena != null) {
            List<Tensor> over = arena.lent.get(data);
            if (over != null) {
                over.add(t);
            }
        }
    }

    /** Takes {@code data} out of the open scope: it outlives the step (a leaf's gradient). */
    static void keep(float[] data) {
        StepArena arena = OPEN.get();
        if (arena != null && arena.lent.remove(data) != null) {
            arena.pooledFloats -= data.length;
        }
    }

    private void takeBack() {
        for (Map.Entry<float[], List<Tensor>> e : lent.entrySet()) {
            for (Tensor t : e.getValue()) {
                t.release();
            }
            free.computeIfAbsent(e.getKey().length, n -> new ArrayDeque<>()).push(e.getKey());
        }
        lent.clear();
    }
}
