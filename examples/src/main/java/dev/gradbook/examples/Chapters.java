package dev.gradbook.examples;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.language.GptChapter;

import java.util.List;

/** Every chapter of the tour, in roadmap order (ROADMAP.md). */
public final class Chapters {
    private Chapters() {
    }

    // An array initializer, so that every line ends with a comma and chapters can be added anywhere.
    private static final Chapter[] ALL = {
            // Part 1 - Foundations
            new dev.gradbook.examples.foundations.LinearAlgebraChapter(),
            new dev.gradbook.examples.foundations.CalculusChapter(),
            new dev.gradbook.examples.foundations.ProbabilityChapter(),
            new dev.gradbook.examples.foundations.SoftmaxChapter(),
            new dev.gradbook.examples.foundations.DataPreprocessingChapter(),
            // Part 2 - Classical machine learning
            new dev.gradbook.examples.classical.LinearRegressionChapter(),
            new dev.gradbook.examples.classical.LogisticRegressionChapter(),
            new dev.gradbook.examples.classical.DecisionTreeChapter(),
            new dev.gradbook.examples.classical.RandomForestChapter(),
            new dev.gradbook.examples.classical.KnnChapter(),
            new dev.gradbook.examples.classical.KMeansChapter(),
            new dev.gradbook.examples.classical.PcaChapter(),
            new dev.gradbook.examples.classical.TsneChapter(),
            new dev.gradbook.examples.classical.ModelEvaluationChapter(),
            // Part 3 - Neural networks
            new dev.gradbook.examples.neural.MicrogradChapter(),
            new dev.gradbook.examples.neural.BackpropChapter(),
            new dev.gradbook.examples.neural.MlpChapter(),
            new dev.gradbook.examples.neural.LossesChapter(),
            new dev.gradbook.examples.neural.OptimizersChapter(),
            new dev.gradbook.examples.neural.RegularizationChapter(),
            new dev.gradbook.examples.neural.MnistMlpChapter(),
            new dev.gradbook.examples.neural.CnnChapter(),
            new dev.gradbook.examples.neural.TransferLearningChapter(),
            new dev.gradbook.examples.neural.RnnChapter(),
            new dev.gradbook.examples.neural.CharLstmChapter(),
            // Part 4 - Language
            new dev.gradbook.examples.language.TextPreprocessingChapter(),
            new dev.gradbook.examples.language.Word2vecChapter(),
            new dev.gradbook.examples.language.SentimentChapter(),
            new dev.gradbook.examples.language.TokenizerBpeChapter(),
            new dev.gradbook.examples.language.AttentionChapter(),
            new dev.gradbook.examples.language.PositionalEncodingChapter(),
            new dev.gradbook.examples.language.Seq2seqTransformerChapter(),
            new dev.gradbook.examples.language.SamplingChapter(),
            new dev.gradbook.examples.language.BertChapter(),
            new dev.gradbook.examples.language.VisionTransformerChapter(),
            new GptChapter(),
            // Part 5 - Large language models
            new dev.gradbook.examples.llm.PretrainingChapter(),
            new dev.gradbook.examples.llm.ScalingLawsChapter(),
            new dev.gradbook.examples.llm.ParallelismChapter(),
            new dev.gradbook.examples.llm.FinetuneDataChapter(),
            new dev.gradbook.examples.llm.LoraChapter(),
            new dev.gradbook.examples.llm.QloraChapter(),
            new dev.gradbook.examples.llm.MixtureOfExpertsChapter(),
            new dev.gradbook.examples.llm.LongContextChapter(),
            new dev.gradbook.examples.llm.EvaluationChapter(),
            // Part 6 - Generative models
            new dev.gradbook.examples.generative.AutoencoderChapter(),
            new dev.gradbook.examples.generative.VaeChapter(),
            new dev.gradbook.examples.generative.ConditionalVaeChapter(),
            new dev.gradbook.examples.generative.GanChapter(),
            new dev.gradbook.examples.generative.WganChapter(),
            new dev.gradbook.examples.generative.ConditionalGanChapter(),
            new dev.gradbook.examples.generative.DiffusionChapter(),
            new dev.gradbook.examples.generative.LatentDiffusionChapter(),
            new dev.gradbook.examples.generative.AudioAndVideoChapter(),
            new dev.gradbook.examples.generative.GenerativeEvaluationChapter(),
            new dev.gradbook.examples.generative.ClipChapter(),
            // Part 7 - Retrieval-augmented generation
            new dev.gradbook.examples.retrieval.Bm25Chapter(),
            new dev.gradbook.examples.retrieval.DenseRetrievalChapter(),
            new dev.gradbook.examples.retrieval.RagChapter(),
            // Part 8 - Newer architectures
            new dev.gradbook.examples.architectures.RwkvChapter(),
            new dev.gradbook.examples.architectures.RetNetChapter(),
            new dev.gradbook.examples.architectures.MambaChapter(),
            new dev.gradbook.examples.architectures.HyenaChapter(),
            new dev.gradbook.examples.architectures.MixtureOfDepthsChapter(),
            // Part 9 - Small, fast and useful
            new dev.gradbook.examples.efficiency.QuantizationChapter(),
            new dev.gradbook.examples.efficiency.PruningChapter(),
            new dev.gradbook.examples.efficiency.DistillationChapter(),
            new dev.gradbook.examples.efficiency.ServingChapter(),
            new dev.gradbook.examples.efficiency.ExplainabilityChapter(),
    };

    public static List<Chapter> all() {
        return List.of(ALL);
    }
}
