package dev.gradbook.benchmarks;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Kernels;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Gradbook's side of the race against PyTorch ({@code benchmarks/race.sh}): nanoGPT's documented
 * CPU run of {@code train_shakespeare_char} (character-level Tiny Shakespeare; 4 layers, 4 heads,
 * 128 channels, context 64, batch 12; AdamW betas 0.9/0.99 with weight decay 0.1 on the matrices
 * only; learning rate 1e-3 with 100 warm-up steps and cosine decay to 1e-4; gradient clipping at
 * norm 1; no dropout; 2000 iterations), written the way {@code benchmarks/pytorch/race.py} writes
 * it, so that the two print comparable lines:
 * <pre>
 *   race gradbook: iters 2000, threads 2, ms/iter 41.2, val 1.889, peak RSS 402 MB, ...
 * </pre>
 * ms/iter is the wall time of the training loop divided by the iterations (the evaluation is
 * outside it); val is the mean cross-entropy over every non-overlapping window of the last 10% of
 * the text (the same windows in both programs); peak RSS is {@code VmHWM} of
 * {@code /proc/self/status}.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *       dev.gradbook.benchmarks.Race [--iters 2000] [--threads 2] [--data data/text/tinyshakespeare.txt] [--lr 1e-3]
 * </pre>
 */
public final class Race {
    private static final int BATCH = 12;
    private static final int EVAL_BATCH = 64;

    private Race() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int iters = Integer.parseInt(options.get("iters"));
        int threads = Integer.parseInt(options.get("threads"));
        float lr = Float.parseFloat(options.get("lr"));
        TextCorpus corpus = TextCorpus.read(Path.of(options.get("data")));
        TextCorpus.Split split = corpus.split(0.9);
        Kernels.setDefault(Kernels.simd(threads));

        Rng rng = new Rng(1337);
        Gpt model = new Gpt(GptConfig.shakespeareChar(corpus.vocabSize()), rng.split());
        Fused.apply(model);
        Map<String, Tensor> matrices = new LinkedHashMap<>();
        Map<String, Tensor> others = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> (p.dim() >= 2 ? matrices : others).put(name, p));
        AdamW decayed = new AdamW(matrices, new AdamW.Config(lr, 0.9f, 0.99f, 1e-8f, 0.1f));
        AdamW plain = new AdamW(others, new AdamW.Config(lr, 0.9f, 0.99f, 1e-8f, 0f));
        WarmupCosine schedule = new WarmupCosine(lr, lr / 10, Math.min(100, iters / 2), iters);   // 100 of 2000

        long cpuStart = processCpuNanos();
        long[] ticksStart = userAndSystemTicks();
        long gcStart = gcMillis();
        long allocStart = allocatedBytes();
        long start = System.nanoTime();
        float loss = Float.NaN;
        StepArena arena = new StepArena();           // each step reuses the previous step's storage
        for (int it = 0; it < iters; it++) {
            decayed.setLearningRate(schedule.at(it));
            plain.setLearningRate(schedule.at(it));
            IntTensor[] batch = windows(split.train(), rng);
            try (var step = arena.open()) {
                Tensor l = model.loss(batch[0], batch[1]);
                decayed.zeroGrad();
                plain.zeroGrad();
                l.backward();
                GradClip.clipByNorm(model.parameters(), 1f);
                decayed.step();
                plain.step();
                loss = l.item();
            }
        }
        double msPerIter = (System.nanoTime() - start) / 1e6 / iters;
        double cpuMsPerIter = (processCpuNanos() - cpuStart) / 1e6 / iters;
        double gcShare = (gcMillis() - gcStart) / (msPerIter * iters);
        double allocMb = (allocatedBytes() - allocStart) / 1e6 / iters;
        long[] ticks = userAndSystemTicks();
        double sysShare = (double) (ticks[1] - ticksStart[1]) / Math.max(1, ticks[0] + ticks[1] - ticksStart[0] - ticksStart[1]);
        double val = validationLoss(model, split.val());
        System.out.printf(Locale.ROOT, "race gradbook: iters %d, threads %d, ms/iter %.1f, cpu ms/iter %.1f, "
                        + "train %.3f, val %.3f, peak RSS %d MB, allocated %.0f MB/iter, GC %.0f%% of wall, "
                        + "system %.0f%% of CPU, java %s%n", iters, threads, msPerIter, cpuMsPerIter, loss, val,
                peakRssMb(), allocMb, 100 * gcShare, 100 * sysShare, System.getProperty("java.version"));
    }

    /** {@code BATCH} windows of the model's context at random offsets: inputs and next characters. */
    private static IntTensor[] windows(IntTensor ids, Rng rng) {
        int t = 64;
        int[] text = ids.data();
        int[] x = new int[BATCH * t];
        int[] y = new int[BATCH * t];
        for (int b = 0; b < BATCH; b++) {
            int at = rng.nextInt(text.length - t - 1);
            System.arraycopy(text, at, x, b * t, t);
            System.arraycopy(text, at + 1, y, b * t, t);
        }
        return new IntTensor[] {IntTensor.of(x, BATCH, t), IntTensor.of(y, BATCH, t)};
    }

    /** Mean loss over the windows starting at 0, 64, 128, ... of {@code ids} (each with its 64 next characters). */
    private static double validationLoss(Gpt model, IntTensor ids) {
        int t = 64;
        int[] text = ids.data();
        int windows = (text.length - 1) / t;
        model.eval();
        double total = 0;
        try (var ignored = Autograd.noGrad()) {
            for (int first = 0; first < windows; first += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, windows - first);
                int[] x = new int[n * t];
                int[] y = new int[n * t];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(text, (first + b) * t, x, b * t, t);
                    System.arraycopy(text, (first + b) * t + 1, y, b * t, t);
                }
                total += model.loss(IntTensor.of(x, n, t), IntTensor.of(y, n, t)).item() * n;
            }
        }
        model.train();
        return total / windows;
    }

    /** Bytes allocated so far by every live thread (the kernel's workers included). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    /** Milliseconds spent in garbage collection so far, all collectors. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /** User and system CPU ticks of this process ({@code /proc/self/stat} fields 14 and 15), or zeros. */
    private static long[] userAndSystemTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The most resident memory this process has had, from {@code VmHWM} (Linux), or -1. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("iters", "2000",
                "threads", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "data", "data/text/tinyshakespeare.txt", "lr", "1e-3"));
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!options.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Race: unknown option or missing value '" + args[i]
                        + "'; options: --iters N, --threads N, --data FILE, --lr X (peak; the floor is X/10)");
            }
            options.put(key, args[i + 1]);
        }
        return options;
    }
}
