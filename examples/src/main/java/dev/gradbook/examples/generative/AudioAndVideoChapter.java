package dev.gradbook.examples.generative;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.generative.Vae;

import java.util.List;
import java.util.Locale;

/**
 * <h2>audio-and-video: generating a waveform and a frame sequence</h2>
 *
 * <p>Sound and video are sequences: a waveform is a few thousand numbers per second, a video a
 * picture per frame. Two small models show generation along time, each written to the format a
 * player opens.
 *
 * <p><b>Audio: an autoregressive model of a waveform</b>, the idea of WaveNet (van den Oord et
 * al., "WaveNet: A Generative Model for Raw Audio", 2016, section 2: {@code p(x) = prod over t of
 * p(x_t | x_1..x_(t-1))}) at its smallest: a linear predictor of the next sample from the
 * previous {@code P = 16},
 * <pre>
 *   x_hat_t = sum over k = 1..P of a_k x_(t-k)
 * </pre>
 * fitted by least squares to one second of a recorded-like tone (440 Hz plus its second
 * harmonic and a little noise, 8 kHz). Generating runs the predictor on its own outputs from a
 * short seed. A pure tone obeys {@code x_t = 2 cos(w) x_(t-1) - x_(t-2)} exactly, so a linear
 * predictor can carry the pitch indefinitely; the chapter measures the generated tone's frequency
 * from its zero crossings (each period crosses zero upwards once) and writes {@code tone.wav}
 * ({@code javax.sound.sampled}, 16-bit mono).
 *
 * <p><b>Video: a walk through a VAE's code space</b>, the simplest frame generator: train the
 * VAE of {@code vae} briefly, encode a test "1" and a test "7", and decode 24 codes on the straight
 * line between them; each decoded code is a frame of {@code morph.gif} ({@code javax.imageio},
 * looping). A video must change smoothly: the chapter measures the largest mean absolute change
 * between consecutive frames against the change from the first frame to the last, and asks the
 * judge whether the first and last frames show the digits they started from.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The generated tone's frequency, within a fraction of a percent of 440 Hz, and its
 *       amplitude after one second (neither dying out nor blowing up). {@code waveform.png}: the
 *       training tone and the generated one.</li>
 *   <li>The frame table: consecutive frames differ by a small fraction of the whole change.
 *       {@code morph.png}: every third frame of the GIF.</li>
 * </ul>
 * Default run: 1,500 VAE steps; about 20 seconds on two cores. {@code --quick}: 400. At seed 42 the
 * generated tone measured 440.05 Hz (error 0.01%); consecutive frames differed by at most 0.0079
 * per pixel against 0.118 from the first frame to the last, and the judge read the first and last
 * frames as 1 and 7.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --frequency 261.6} (middle C): does the model still get the pitch?</li>
 *   <li>{@code --frames 8}: how large do the jumps between frames get?</li>
 * </ol>
 */
public final class AudioAndVideoChapter implements Chapter {
    static final int RATE = 8_000;
    static final int ORDER = 16;

    @Override
    public String id() {
        return "audio-and-video";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "a generated tone written as WAV (pitch measured) and a latent walk written as an animated GIF (smoothness measured)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.floatInRange("frequency", "440", 50f, 2_000f, "pitch of the training tone, Hz"),
                Option.intInRange("frames", "24", 3, 200, "frames of the GIF"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        audio(ctx, result);
        video(ctx, result);
        return result;
    }

    /** One second of {@code sin(2 pi f t) + 0.3 sin(4 pi f t)}, scaled to peak 0.5, plus noise of std 0.005. */
    static float[] tone(double f, Rng rng) {
        float[] x = new float[RATE];
        for (int t = 0; t < RATE; t++) {
            double s = Math.sin(2 * Math.PI * f * t / RATE) + 0.3 * Math.sin(4 * Math.PI * f * t / RATE);
            x[t] = (float) (0.4 * s + 0.005 * rng.nextGaussian());
        }
        return x;
    }

    private static void audio(ChapterContext ctx, Result result) throws Exception {
        double f = ctx.floatOption("frequency");
        ctx.section("audio: a " + ORDER + "-tap autoregressive model of a " + f + " Hz tone");
        Rng rng = ctx.rng();
        float[] x = tone(f, rng.split());
        Linear predictor = new Linear(ORDER, 1, false, rng.split());
        fitLeastSquares(predictor, x);
        float[] check = generate(predictor, x, 2 * ORDER);
        ctx.printf("fitted by least squares on %,d windows; the first predicted sample differs from the tone by %.4f%n",
                RATE - ORDER, Math.abs(check[ORDER] - x[ORDER]));
        float[] generated = generate(predictor, x, RATE);
        double measured = Waveforms.zeroCrossingFrequency(generated, RATE);
        double peak = Waveforms.peak(generated, RATE - RATE / 10, RATE);
        double trainingPeak = Waveforms.peak(x, 0, RATE);
        ctx.printf("generated 1 s: %.1f Hz by zero crossings (asked %.1f Hz, error %.2f%%); peak in the last 0.1 s %.3f "
                + "(training tone %.3f)%n", measured, f, 100 * Math.abs(measured - f) / f, peak, trainingPeak);
        Waveforms.writeWav(ctx.outFile("tone.wav"), generated, RATE);
        double[] t = new double[200];
        double[] real = new double[200];
        double[] gen = new double[200];
        for (int i = 0; i < 200; i++) {
            t[i] = 1000.0 * (RATE - 200 + i) / RATE;
            real[i] = x[RATE - 200 + i];
            gen[i] = generated[RATE - 200 + i];
        }
        new LineChart("The last 25 ms: training tone and generated tone", "time (ms)", "amplitude")
                .series("training", t, real).series("generated", t, gen).save(ctx.outFile("waveform.png"));
        result.metric("tone_frequency", measured).metric("tone_frequency_error", Math.abs(measured - f) / f)
                .metric("tone_final_peak", peak).metric("tone_training_peak", trainingPeak);
    }

    /**
     * Fits the taps by least squares over every window of the tone, {@code min_a ||X a - y||^2}: for a
     * linear model this is the training loss's exact minimum (the classical fit of an autoregressive
     * model, Yule 1927), where gradient descent would only approach it; an AR model run on its own
     * output amplifies any error in its taps, so the exact minimum matters here.
     */
    static void fitLeastSquares(Linear predictor, float[] x) {
        int m = x.length - ORDER;
        float[] windows = new float[m * ORDER];
        float[] targets = new float[m];
        for (int s = 0; s < m; s++) {
            System.arraycopy(x, s, windows, s * ORDER, ORDER);
            targets[s] = x[s + ORDER];
        }
        Tensor a = dev.gradbook.core.Linalg.lstsq(Tensor.wrap(windows, m, ORDER), Tensor.wrap(targets, m, 1)); // (P, 1)
        try (var noGrad = Autograd.noGrad()) {
            predictor.weight.copyInPlace(a.reshape(1, ORDER));
        }
    }

    /** Runs the predictor on its own output from the first {@code ORDER} samples of {@code seed}. */
    static float[] generate(Linear predictor, float[] seed, int length) {
        float[] out = new float[length];
        System.arraycopy(seed, 0, out, 0, ORDER);
        float[] a = predictor.weight.data();                  // (1, P): a[k] multiplies x_(t-P+k)
        for (int t = ORDER; t < length; t++) {
            double s = 0;
            for (int k = 0; k < ORDER; k++) {
                s += a[k] * out[t - ORDER + k];
            }
            out[t] = (float) Math.max(-1, Math.min(1, s));
        }
        return out;
    }

    private static void video(ChapterContext ctx, Result result) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", 100);
        int steps = ctx.quick() ? 400 : 1_500;
        int frames = ctx.intOption("frames");
        ctx.section("video: a VAE's latent walk from a 1 to a 7, " + frames + " frames");
        Rng rng = new Rng(ctx.seed() + 1);
        Vae vae = new Vae(MnistDigits.PIXELS, VaeChapter.HIDDEN, 8, 0, rng.split());
        VaeChapter.train(vae, train, null, steps, 2e-3f, 1f, rng.split(), ctx.progress("vae", steps));
        MnistDigits.Data ends = test.onePerClass().pick(new int[] {1, 7});
        Tensor movie;
        try (var noGrad = Autograd.noGrad()) {
            Tensor mu = vae.encode(ends.images(), null).mu();
            movie = vae.decode(LatentPlane.interpolate(mu.select(0, 0), mu.select(0, 1), frames), null).sigmoid(); // (F, 784)
        }
        double largestStep = 0;
        for (int i = 1; i < frames; i++) {
            largestStep = Math.max(largestStep, movie.select(0, i).sub(movie.select(0, i - 1)).abs().mean().item());
        }
        double whole = movie.select(0, frames - 1).sub(movie.select(0, 0)).abs().mean().item();
        int[] judged = Judge.get(ctx).predict(movie);
        ctx.table(List.of("measure", "value"), List.of(
                List.of("largest mean |change| between consecutive frames", fmt(largestStep)),
                List.of("mean |change| from the first frame to the last", fmt(whole)),
                List.of("judge on the first / last frame", judged[0] + " / " + judged[frames - 1])));
        Waveforms.writeGif(ctx.outFile("morph.gif"), movie, MnistDigits.SIDE, 4, 80);
        List<Tensor> shown = new java.util.ArrayList<>();
        for (int i = 0; i < frames; i += 3) {
            shown.add(movie.narrow(0, i, 1));
        }
        DigitPictures.save(ctx.outFile("morph.png"), "Every third frame of morph.gif", Tensor.cat(shown, 0), shown.size(), null);
        ctx.println("files: tone.wav, waveform.png, morph.gif, morph.png in " + ctx.outDir());
        result.metric("largest_frame_change", largestStep).metric("first_to_last_change", whole)
                .metric("first_frame_digit", judged[0]).metric("last_frame_digit", judged[frames - 1]);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
