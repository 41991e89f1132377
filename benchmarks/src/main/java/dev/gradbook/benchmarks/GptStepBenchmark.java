package dev.gradbook.benchmarks;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.ParamGroups;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of a tiny GPT: vocabulary 256, {@code d_model} 128, 4 heads, context 64,
 * 2 layers, MLP 4x, learned positions, tied head, no dropout; a batch of 16 sequences of 64
 * random tokens; mean next-token cross-entropy; AdamW with PyTorch's defaults (lr 1e-3, betas
 * 0.9 and 0.999, eps 1e-8, weight decay 0.01 on the matrices only, as nanoGPT and the race do:
 * {@code ParamGroups.decayMatricesOnly}). About 0.43 M parameters; a step is about
 * 2.8 GFLOP of matrix products (forward 0.94: 2 x 0.43 M per token for the Linear layers and
 * head, plus the attention scores and mixing; backward twice that).
 *
 * <p>{@code threads} is the matrix-multiply kernel's thread count (the rest of Gradbook runs on
 * the calling thread). {@code fused} swaps in the hand-written layer norm, GELU and attention
 * softmax ({@code Fused.apply}, as training loops do) or keeps the readable model built from core ops.
 * Sample mode ({@link Report} shows the median); run with {@code -prof gc} for the bytes
 * allocated per step. The same step in PyTorch is {@code benchmarks/pytorch/gpt_step.py}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.QUIET})
@State(Scope.Benchmark)
public class GptStepBenchmark {

    static final int VOCAB = 256;
    static final int CONTEXT = 64;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int D_MODEL = 128;
    static final int BATCH = 16;

    @Param({"1", "2"})
    public int threads;

    @Param({"true"})
    public boolean fused;

    /** Whether each step reuses the previous step's storage ({@link StepArena}), as the race and the gpt chapter do. */
    @Param({"true"})
    public boolean arena;

    private Gpt gpt;
    private AdamW optimizer;
    private final StepArena steps = new StepArena();
    private IntTensor ids;
    private IntTensor targets;

    @Setup
    public void setup() {
        Kernels.setDefault(Kernels.simd(threads));
        GptConfig config = GptConfig.tiny(VOCAB).withBlockSize(CONTEXT).withNLayer(LAYERS).withNEmbd(D_MODEL)
                .withNHead(HEADS);
        Rng rng = new Rng(3);
        gpt = new Gpt(config, rng);
        if (fused) {
            Fused.apply(gpt);
        }
        optimizer = new AdamW(ParamGroups.decayMatricesOnly(gpt.namedParameters(), 0.01f), AdamW.Config.defaults());
        ids = IntTensor.randint(rng, 0, VOCAB, BATCH, CONTEXT);
        targets = IntTensor.randint(rng, 0, VOCAB, BATCH, CONTEXT);
        float first = step();
        // untrained, every token is about equally likely: the loss is near ln(256) = 5.5
        if (!(Math.abs(first - Math.log(VOCAB)) < 0.5)) {
            throw new IllegalStateException("GptStepBenchmark: first loss " + first + " is not near ln("
                    + VOCAB + ")");
        }
    }

    @TearDown
    public void tearDown() {
        Kernels.setDefault(null);
    }

    @Benchmark
    public float step() {
        if (!arena) {
            return trainStep();
        }
        try (var scope = steps.open()) {
            return trainStep();
        }
    }

    private float trainStep() {
        optimizer.zeroGrad();
        Tensor loss = gpt.loss(ids, targets);
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
