package dev.gradbook.examples.foundations;

import dev.gradbook.core.Correction;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.data.Splits;
import dev.gradbook.nn.data.Standardizer;
import dev.gradbook.nn.data.Table;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * <h2>data-preprocessing: from a raw CSV to a matrix a model can learn from</h2>
 *
 * <p>Models take matrices of numbers; data arrives as tables with gaps, words and oddities.
 * This chapter walks two real tables, the Titanic passenger list (1,309 rows) and the Palmer
 * penguins (344 rows), through the usual steps, looking before it changes anything (EDA):
 * <ul>
 *   <li><b>Missing values</b>: count them per column first. Dropping rows loses data (and can
 *       bias it, if the gaps are not random); imputation fills them with the column's mean,
 *       median (robust to outliers) or mode (for categories), which shrinks the variance: the
 *       filled values all sit at the centre.</li>
 *   <li><b>Categorical encoding</b>: a category with K values becomes K indicator (one-hot)
 *       columns, so that "3rd class" is not read as "three times 1st class".</li>
 *   <li><b>Outliers</b>: the z-score rule flags {@code |x - mean| / sd > 3}; Tukey's IQR rule
 *       flags values outside {@code [Q1 - 1.5 IQR, Q3 + 1.5 IQR]} and, using quantiles, is not
 *       itself pulled by the outliers it looks for.</li>
 *   <li><b>Scaling</b>: standardisation {@code z = (x - mean) / sd} or min-max normalisation
 *       {@code (x - min) / (max - min)}, with the statistics measured on the <i>training</i>
 *       split only and then applied unchanged to validation and test, so no information leaks
 *       from the data used to judge the model.</li>
 *   <li><b>Splitting</b>: shuffle, then cut train / validation / test (70 / 15 / 15 here).</li>
 * </ul>
 * Sources: Géron, <i>Hands-On Machine Learning</i>, 3rd ed., chapter 2 ("Prepare the data");
 * Tukey, <i>Exploratory Data Analysis</i> (1977), section 2C (the 1.5 IQR fences); Horst, Hill
 * and Gorman, palmerpenguins (2020).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>263 of 1,309 Titanic ages are missing; penguins miss 2 measurements per column and 11
 *       sexes. Median age differs by class (1st class passengers were older), so imputing per
 *       class keeps more of the structure than one global value.</li>
 *   <li>Survival by class and sex (the table and {@code survival.png}): women in 1st class
 *       survived at about 97%, men in 3rd class at about 15%.</li>
 *   <li>The standardised training features have mean 0 and sd 1 exactly; the test features
 *       only approximately, as they should.</li>
 *   <li>{@code penguins.png}: the three species separate well on bill length and flipper
 *       length, before any model is trained.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Impute the penguins' body mass by the median of its species and sex. How far are
 *       the two imputed values from the global median?</li>
 *   <li>Fit the standardizer on the whole penguin table instead of the training split, then
 *       compare the test means. Why is the difference small here, and when would it not be?</li>
 *   <li>Survival rate by age: bin ages into decades and draw a bar chart. Were children
 *       more likely to survive in every class?</li>
 * </ol>
 */
public final class DataPreprocessingChapter implements Chapter {
    static final String TITANIC = "tabular/titanic.csv";
    static final String PENGUINS = "tabular/penguins.csv";
    private static final String[] MEASUREMENTS = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm",
        "body_mass_g"};

    @Override
    public String id() {
        return "data-preprocessing";
    }

    @Override
    public Part part() {
        return Part.FOUNDATIONS;
    }

    @Override
    public String summary() {
        return "titanic and penguins: missing values, imputation, one-hot, outliers, scaling, splits";
    }

    @Override
    public Result run(ChapterContext ctx) throws IOException {
        Table titanic = read(ctx, TITANIC);
        Table penguins = read(ctx, PENGUINS);
        Result result = new Result();

        ctx.section("missing values per column");
        for (Table t : List.of(titanic, penguins)) {
            String name = t == titanic ? "titanic" : "penguins";
            List<List<String>> rows = new ArrayList<>();
            for (String column : t.columnNames()) {
                int missing = t.missingCount(column);
                rows.add(List.of(column, t.isNumeric(column) ? "number" : "text", Integer.toString(missing),
                        percent((double) missing / t.rows())));
                result.metric("missing." + name + "." + column, missing);
            }
            ctx.printf("%s: %,d rows%n", name, t.rows());
            ctx.table(List.of("column", "type", "missing", "share"), rows);
        }

        imputation(ctx, titanic, penguins);
        oneHot(ctx, titanic);
        outliers(ctx, titanic, penguins, result);
        survival(ctx, titanic, result);
        scaling(ctx, penguins, result);
        return result;
    }

    private static Table read(ChapterContext ctx, String path) throws IOException {
        try (InputStream in = ctx.openData(path)) {
            return Csv.read(in, ctx.dataSource(path));
        }
    }

    private static void imputation(ChapterContext ctx, Table titanic, Table penguins) {
        ctx.section("imputation");
        double[] age = titanic.numeric("age");
        double[] known = present(age);
        double mean = Arrays.stream(known).average().orElse(Double.NaN);
        double median = quantile(known, 0.5);
        ctx.printf("titanic age: %d known, mean %.2f, median %.2f, sd %.2f%n", known.length, mean, median, sd(known));
        double[] filled = age.clone();
        for (int i = 0; i < filled.length; i++) {
            filled[i] = Double.isNaN(filled[i]) ? mean : filled[i];
        }
        ctx.printf("after filling the %d gaps with the mean: mean %.2f, sd %.2f (smaller: %d values sit at the centre)%n",
                age.length - known.length, Arrays.stream(filled).average().orElse(Double.NaN), sd(filled),
                age.length - known.length);
        String[] classes = titanic.column("passengerClass");
        StringBuilder byClass = new StringBuilder("median age by class:");
        for (String c : OneHot.fit(classes).categories()) {
            List<Double> ages = new ArrayList<>();
            int gaps = 0;
            for (int i = 0; i < age.length; i++) {
                if (c.equals(classes[i])) {
                    if (Double.isNaN(age[i])) {
                        gaps++;
                    } else {
                        ages.add(age[i]);
                    }
                }
            }
            byClass.append(String.format(Locale.ROOT, " %s %.1f (%d gaps)", c,
                    quantile(ages.stream().mapToDouble(Double::doubleValue).toArray(), 0.5), gaps));
        }
        ctx.println(byClass + ": per-class medians keep the link between age and class");
        for (String column : MEASUREMENTS) {
            double[] values = penguins.numeric(column);
            ctx.printf("penguins %-17s median %7.1f fills %d gap(s)%n", column, quantile(present(values), 0.5),
                    values.length - present(values).length);
        }
        Map<String, Integer> sexes = counts(penguins.column("sex"));
        String mode = sexes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        ctx.printf("penguins sex: counts %s, the mode '%s' fills %d gaps (or keep 'unknown' as its own category)%n",
                sexes, mode, penguins.missingCount("sex"));
    }

    private static void oneHot(ChapterContext ctx, Table titanic) {
        ctx.section("one-hot encoding of titanic's class and sex");
        OneHot classes = OneHot.fit(titanic.column("passengerClass"));
        OneHot sexes = OneHot.fit(titanic.column("sex"));
        Tensor classColumns = classes.transform(titanic.column("passengerClass"));  // (N, 3)
        Tensor sexColumns = sexes.transform(titanic.column("sex"));                 // (N, 2)
        Tensor design = Tensor.cat(List.of(classColumns, sexColumns), 1);            // (N, 5)
        List<String> header = new ArrayList<>(List.of("passengerClass", "sex"));
        classes.categories().forEach(c -> header.add("class_" + c));
        sexes.categories().forEach(s -> header.add("sex_" + s));
        List<List<String>> rows = new ArrayList<>();
        for (int r : new int[] {0, 1, 400, 700, 1300}) {
            List<String> row = new ArrayList<>(List.of(titanic.get(r, "passengerClass"), titanic.get(r, "sex")));
            for (int j = 0; j < design.size(1); j++) {
                row.add(String.format(Locale.ROOT, "%.0f", design.get(r, j)));
            }
            rows.add(row);
        }
        ctx.table(header, rows);
        ctx.printf("design matrix %s; every row has exactly one 1 per encoded column: row sums all %.0f%n",
                Arrays.toString(design.shape()), design.sum(1).max().item());
    }

    private static void outliers(ChapterContext ctx, Table titanic, Table penguins, Result result) {
        ctx.section("outliers: z-score beyond 3 and Tukey's 1.5 IQR fences");
        List<List<String>> rows = new ArrayList<>();
        double[] mass = present(penguins.numeric("body_mass_g"));
        double[] massWithTypo = Arrays.copyOf(mass, mass.length + 1);
        massWithTypo[mass.length] = 45_000;   // a typing error: one zero too many
        Map<String, double[]> columns = new java.util.LinkedHashMap<>();
        columns.put("titanic.age", present(titanic.numeric("age")));
        columns.put("penguins.body_mass_g", mass);
        columns.put("penguins.body_mass_g + typo", massWithTypo);
        for (Map.Entry<String, double[]> column : columns.entrySet()) {
            double[] x = column.getValue();
            double mean = Arrays.stream(x).average().orElse(Double.NaN);
            double sd = sd(x);
            double q1 = quantile(x, 0.25);
            double q3 = quantile(x, 0.75);
            double low = q1 - 1.5 * (q3 - q1);
            double high = q3 + 1.5 * (q3 - q1);
            long zCount = Arrays.stream(x).filter(v -> Math.abs(v - mean) / sd > 3).count();
            double[] beyond = Arrays.stream(x).filter(v -> v < low || v > high).sorted().toArray();
            rows.add(List.of(column.getKey(), String.format(Locale.ROOT, "%.1f +- %.1f", mean, sd),
                    Long.toString(zCount), String.format(Locale.ROOT, "[%.1f, %.1f]", low, high),
                    Integer.toString(beyond.length), beyond.length == 0 ? "-" : Arrays.toString(beyond)));
            result.metric("outliers_z." + column.getKey().replace(" + ", "_"), zCount);
            result.metric("outliers_iqr." + column.getKey().replace(" + ", "_"), beyond.length);
        }
        ctx.table(List.of("column", "mean +- sd", "|z| > 3", "IQR fences", "outside", "values outside"), rows);
        ctx.println("one typo (45000 g) nearly triples the body mass sd; the quartiles, and so the fences, barely move");
    }

    private static void survival(ChapterContext ctx, Table titanic, Result result) {
        ctx.section("survival rate by class and sex");
        String[] survived = titanic.column("survived");
        String[] sex = titanic.column("sex");
        String[] cls = titanic.column("passengerClass");
        List<String> classes = OneHot.fit(cls).categories();
        List<String> sexes = OneHot.fit(sex).categories();
        double[][] rate = new double[sexes.size()][classes.size()];
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<String> row = new ArrayList<>(List.of(classes.get(c)));
            int allYes = 0;
            int allN = 0;
            for (int s = 0; s < sexes.size(); s++) {
                int yes = 0;
                int n = 0;
                for (int i = 0; i < survived.length; i++) {
                    if (classes.get(c).equals(cls[i]) && sexes.get(s).equals(sex[i])) {
                        n++;
                        yes += "yes".equals(survived[i]) ? 1 : 0;
                    }
                }
                rate[s][c] = (double) yes / n;
                allYes += yes;
                allN += n;
                row.add(String.format(Locale.ROOT, "%s (%d/%d)", percent(rate[s][c]), yes, n));
                result.metric("survival." + classes.get(c) + "." + sexes.get(s), rate[s][c]);
            }
            row.add(String.format(Locale.ROOT, "%s (%d/%d)", percent((double) allYes / allN), allYes, allN));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("class"));
        header.addAll(sexes);
        header.add("all");
        ctx.table(header, rows);
        long total = Arrays.stream(survived).filter("yes"::equals).count();
        ctx.printf("overall %s (%d of %d)%n", percent((double) total / survived.length), total, survived.length);
        result.metric("survival.all", (double) total / survived.length);
        BarChart chart = new BarChart("Titanic: survival rate by class and sex", "passenger class", "survival rate")
                .categories(classes);
        for (int s = 0; s < sexes.size(); s++) {
            chart.series(sexes.get(s), rate[s]);
        }
        chart.save(ctx.outFile("survival.png"));
    }

    private static void scaling(ChapterContext ctx, Table penguins, Result result) {
        ctx.section("train / validation / test split and scaling (penguins, complete rows)");
        Table complete = penguins.dropMissing(MEASUREMENTS);
        Tensor x = complete.toTensor(MEASUREMENTS);  // (N, 4)
        Splits.Split split = Splits.trainValTest(complete.rows(), 0.7, 0.15, ctx.seed());
        ctx.printf("%d complete rows -> train %d, validation %d, test %d%n", complete.rows(), split.train().length,
                split.val().length, split.test().length);
        Tensor train = x.indexSelect(0, split.train());
        Tensor test = x.indexSelect(0, split.test());
        Standardizer scaler = Standardizer.fit(train);   // statistics from the training rows only
        Tensor trainZ = scaler.transform(train);
        Tensor testZ = scaler.transform(test);
        Tensor min = train.min(0);
        Tensor range = train.max(0).sub(min);
        Tensor testMinMax = test.sub(min).div(range);    // min-max normalisation, also fitted on train
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < MEASUREMENTS.length; j++) {
            rows.add(List.of(MEASUREMENTS[j], String.format(Locale.ROOT, "%.1f +- %.1f", scaler.mean()[j],
                            scaler.std()[j]),
                    String.format(Locale.ROOT, "%+.3f / %.3f", trainZ.select(1, j).mean().item(),
                            populationSd(trainZ.select(1, j))),
                    String.format(Locale.ROOT, "%+.3f / %.3f", testZ.select(1, j).mean().item(),
                            populationSd(testZ.select(1, j))),
                    String.format(Locale.ROOT, "[%.2f, %.2f]", testMinMax.select(1, j).min().item(),
                            testMinMax.select(1, j).max().item())));
        }
        ctx.table(List.of("feature", "train mean +- sd", "train z: mean / sd", "test z: mean / sd",
                "test min-max range"), rows);
        ctx.println("test values may fall outside [0, 1] after min-max scaling: the range was measured on train");
        result.metric("train_z_mean_max_abs", trainZ.mean(0).abs().max().item());
        result.metric("train_z_sd_max_error", trainZ.var(0, Correction.BIASED).sqrt().sub(1).abs().max().item());
        result.metric("split_train", split.train().length);
        result.metric("split_val", split.val().length);
        result.metric("split_test", split.test().length);

        OneHot species = OneHot.fit(complete.column("species"));
        new ScatterPlot("Palmer penguins", "bill length (mm)", "flipper length (mm)")
                .points(complete.numeric("bill_length_mm"), complete.numeric("flipper_length_mm"),
                        species.indices(complete.column("species")))
                .classNames(species.categories()).save(ctx.outFile("penguins.png"));
        ctx.printf("%npictures: survival.png, penguins.png in %s%n", ctx.outDir());
    }

    // ------------------------------------------------------------ small statistics

    /** The non-missing values. */
    static double[] present(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** The q-quantile with linear interpolation between order statistics (NumPy's default, R's type 7). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double sd(double[] x) {
        double mean = Arrays.stream(x).average().orElse(Double.NaN);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1));
    }

    private static double populationSd(Tensor column) {
        return Math.sqrt(column.var(0, Correction.BIASED).item());
    }

    private static Map<String, Integer> counts(String[] column) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String v : column) {
            if (v != null) {
                counts.merge(v, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
