package dev.gradbook.nn.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers on the data sets the project ships (in {@code ../data}, relative to this module,
 * the tests' working directory). Expected counts come from the files' documentation or from
 * plain line splitting in the test, not from the readers.
 */
class ShippedDataTest {
    static final Path DATA = Path.of("..", "data");

    @Test
    void iris() {
        LabeledData iris = Csv.readSklearn(DATA.resolve("tabular/iris.csv"));
        assertEquals(150, iris.size());
        assertEquals(4, iris.numFeatures());
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, iris.features().narrow(0, 0, 1).data());
        int[] perClass = new int[3];
        for (int label : iris.labels()) {
            perClass[label]++;
        }
        assertArrayEquals(new int[] {50, 50, 50}, perClass, "Fisher's data has 50 flowers of each species");
    }

    @Test
    void wineBreastCancerAndDigits() {
        LabeledData wine = Csv.readSklearn(DATA.resolve("tabular/wine.csv"));
        assertEquals(178, wine.size());
        assertEquals(13, wine.numFeatures());
        assertEquals(3, wine.numClasses());

        LabeledData cancer = Csv.readSklearn(DATA.resolve("tabular/breast_cancer.csv"));
        assertEquals(569, cancer.size());
        assertEquals(30, cancer.numFeatures());
        assertEquals(List.of("malignant", "benign"), cancer.classNames());
        assertEquals(357, java.util.Arrays.stream(cancer.labels()).sum(), "357 benign (label 1), 212 malignant");

        LabeledData digits = Csv.readLabeled(DATA.resolve("images/digits8x8.csv.gz"));
        assertEquals(1797, digits.size());
        assertEquals(64, digits.numFeatures());
        assertEquals(10, digits.numClasses());
        assertEquals(0, digits.labels()[0]);
        assertEquals(16f, digits.features().max().item(), "pixels run from 0 to 16");
    }

    @Test
    void penguinsMissingValuesMatchAPlainCount() throws IOException {
        Path file = DATA.resolve("tabular/penguins.csv");
        Table penguins = Csv.read(file);
        assertEquals(344, penguins.rows());
        assertEquals(List.of("species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm",
                "body_mass_g", "sex", "year"), penguins.columnNames());

        // the same counts by splitting lines on commas (the file has no quoted fields)
        List<String> lines = Files.readAllLines(file);
        int[] naPerColumn = new int[8];
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            for (int c = 0; c < 8; c++) {
                if (fields[c].equals("NA")) {
                    naPerColumn[c]++;
                }
            }
        }
        for (int c = 0; c < 8; c++) {
            assertEquals(naPerColumn[c], penguins.missingCount(penguins.columnNames().get(c)));
        }
        // checked by hand: two penguins lack all measurements (lines 5 and 273), eleven lack sex
        assertEquals(2, penguins.missingCount("bill_length_mm"));
        assertEquals(11, penguins.missingCount("sex"));
        assertTrue(Double.isNaN(penguins.numeric("body_mass_g")[3]));
        assertEquals(3750.0, penguins.numeric("body_mass_g")[0]);
        assertEquals(333, penguins.dropMissing().rows());
    }

    @Test
    void titanicAmesAndSpam() {
        Table titanic = Csv.read(DATA.resolve("tabular/titanic.csv"));
        assertEquals(1309, titanic.rows());
        assertEquals("Allen, Miss. Elisabeth Walton", titanic.get(0, "name"));
        assertEquals(263, titanic.missingCount("age"));

        Table ames = Csv.read(DATA.resolve("tabular/ames.csv.gz"));
        assertEquals(2930, ames.rows());
        assertEquals(74, ames.columns());
        assertEquals(215000.0, ames.numeric("Sale_Price")[0]);

        Table spam = Csv.readTsv(DATA.resolve("text/spam_assassin_1600.tsv"));
        assertEquals(1600, spam.rows());
        OneHot labels = OneHot.fit(spam.column("label"));
        assertEquals(List.of("ham", "spam"), labels.categories());
        assertEquals(800, java.util.Arrays.stream(labels.indices(spam.column("label"))).sum());
    }

    @Test
    void tinyShakespeare() throws IOException {
        Path file = DATA.resolve("text/tinyshakespeare.txt");
        TextCorpus corpus = TextCorpus.read(file);
        assertEquals(Files.size(file), corpus.length(), "the corpus is ASCII: one byte per character");
        assertEquals(65, corpus.vocabSize(), "nanoGPT's shakespeare_char vocabulary");
        assertEquals("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", corpus.vocabulary());
        assertEquals("First Citizen:", corpus.decode(java.util.Arrays.copyOf(corpus.ids(), 14)));
        TextCorpus.Split split = corpus.split(0.9);
        assertEquals(1003854, split.train().numel()); // int(0.9 * 1115394)
        assertEquals(1115394 - 1003854, split.val().numel());
    }

    @Test
    void gloveVectorsAreReadableAsText() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DATA.resolve("vectors/glove_100d_top10k.txt.gz")))) {
            String first = new String(in.readNBytes(4000), StandardCharsets.UTF_8).split("\n")[0];
            assertEquals(101, first.split(" ").length, "a word and 100 numbers");
        }
    }
}
