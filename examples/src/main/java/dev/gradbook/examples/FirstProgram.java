package dev.gradbook.examples;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.data.Batch;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.DataLoader;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.data.Splits;
import dev.gradbook.nn.data.Standardizer;
import dev.gradbook.nn.data.TensorDataset;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.metrics.Metrics;
import dev.gradbook.nn.optim.AdamW;

import java.nio.file.Path;

/** The README's first program: a small MLP learns to tell three species of iris apart. */
public final class FirstProgram {
    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0] : "data");
        LabeledData iris = Csv.readSklearn(data.resolve("tabular/iris.csv"));  // 150 flowers, 4 measures, 3 species
        Splits.Split split = Splits.trainTest(iris.size(), 0.8, 42);
        TensorDataset train = iris.toDataset().subset(split.train());
        TensorDataset test = iris.toDataset().subset(split.test());
        Standardizer scale = Standardizer.fit(train.features());               // from the training part only

        MLP model = new MLP(new int[] {4, 16, 3}, ReLU::new, new Rng(42));
        AdamW optimizer = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(1e-2f));
        DataLoader loader = new DataLoader(train, 16, true, false, 42);         // shuffled batches of 16

        model.train();
        for (int epoch = 0; epoch < 30; epoch++) {
            for (Batch batch : loader) {                                        // each loop is a new epoch
                Tensor logits = model.forward(scale.transform(batch.inputs())); // (B, 3)
                Tensor loss = Losses.crossEntropy(logits, batch.labels());      // scalar
                model.zeroGrad();
                loss.backward();                                                // fills every parameter's grad
                optimizer.step();
            }
        }

        model.eval();                                                           // dropout off, as for inference
        try (var noGrad = Autograd.noGrad()) {                                  // no graph: less memory, faster
            Tensor logits = model.forward(scale.transform(test.features()));
            System.out.printf("test accuracy %.3f%n", Metrics.accuracy(logits, test.labels()));
        }
    }
}
