package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Result;

import java.util.List;

/**
 * A set of generated digits scored by the {@link Judge} against real test digits, beside the two
 * reference points that give the numbers a scale: the real digits themselves (another half of
 * the test set) and uniform noise images.
 */
record Judged(double fid, double inceptionScore, double realFid, double realInceptionScore, double noiseFid) {

    /** Scores {@code samples (N, 784)} in [0, 1] against {@code real (M, 784)}, prints the table. */
    static Judged of(ChapterContext ctx, Judge judge, Tensor samples, Tensor real) {
        int half = real.size(0) / 2;
        Tensor a = real.narrow(0, 0, half);
        Tensor b = real.narrow(0, half, half);
        Tensor noise = Tensor.rand(new Rng(ctx.seed() + 99), samples.size(0), MnistDigits.PIXELS);
        Judged j = new Judged(judge.fid(samples, a), judge.inceptionScore(samples), judge.fid(b, a),
                judge.inceptionScore(b), judge.fid(noise, a));
        ctx.section("judged on the judge's features (FID lower is better, Inception Score higher, at most 10)");
        ctx.table(List.of("images", "FID to " + half + " test digits", "Inception Score"), List.of(
                List.of("other test digits", VaeChapter.fmt(j.realFid()), VaeChapter.fmt(j.realInceptionScore())),
                List.of(samples.size(0) + " samples", VaeChapter.fmt(j.fid()), VaeChapter.fmt(j.inceptionScore())),
                List.of("uniform noise", VaeChapter.fmt(j.noiseFid()), "-")));
        return j;
    }

    Result into(Result r) {
        return r.metric("fid", fid).metric("inception_score", inceptionScore).metric("real_fid", realFid)
                .metric("real_inception_score", realInceptionScore).metric("noise_fid", noiseFid);
    }
}
