package dev.gradbook.examples.generative;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;

import java.util.ArrayList;
import java.util.List;

/** What the conditional chapters share: asking for each digit, and checking with the judge that it came. */
final class ChosenDigits {
    static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    private ChosenDigits() {
    }

    /** Prints the judge's recognition rate per requested digit and overall; returns the overall rate. */
    static double report(ChapterContext ctx, Judge judge, Tensor samples, int[] requested) {
        int[] predicted = judge.predict(samples);
        int[] right = new int[MnistDigits.CLASSES];
        int[] asked = new int[MnistDigits.CLASSES];
        int total = 0;
        for (int i = 0; i < requested.length; i++) {
            asked[requested[i]]++;
            if (predicted[i] == requested[i]) {
                right[requested[i]]++;
                total++;
            }
        }
        List<String> header = new ArrayList<>(List.of("asked for"));
        List<String> row = new ArrayList<>(List.of("recognised"));
        for (int d = 0; d < MnistDigits.CLASSES; d++) {
            header.add(Integer.toString(d));
            row.add(asked[d] == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * right[d] / asked[d]));
        }
        ctx.section("does the judge see the digit that was asked for?");
        ctx.table(header, List.of(row));
        double rate = (double) total / requested.length;
        ctx.printf("the judge recognises the requested digit in %.1f%% of %d samples (the bar is 80%%)%n", 100 * rate,
                requested.length);
        return rate;
    }

    /** Samples made for {@code repeatEach(ALL, k)}: the first 10 of each digit, one row per digit. */
    static void saveGrid(ChapterContext ctx, Tensor samples, String file, String title) {
        int perDigit = samples.size(0) / MnistDigits.CLASSES;
        List<Tensor> rows = new ArrayList<>();
        for (int d = 0; d < MnistDigits.CLASSES; d++) {
            rows.add(samples.narrow(0, d * perDigit, Math.min(10, perDigit)));
        }
        DigitPictures.save(ctx.outFile(file), title, Tensor.cat(rows, 0), Math.min(10, perDigit), null);
    }
}
