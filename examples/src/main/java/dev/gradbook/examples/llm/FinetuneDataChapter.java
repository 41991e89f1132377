package dev.gradbook.examples.llm;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.finetune.QualityFilters;
import dev.gradbook.examples.llm.finetune.SyntheticTasks;
import dev.gradbook.examples.llm.finetune.SyntheticTasks.Example;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.transformer.data.InstructionTemplate;
import dev.gradbook.transformer.data.MinHash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * <h2>finetune-data: instruction data from templates, filtered and de-duplicated</h2>
 *
 * <p>Instruction tuning (Wei et al. 2022, "Finetuned language models are zero-shot learners";
 * Ouyang et al. 2022, section 3) trains a pretrained model on (instruction, response) pairs. The
 * model learns whatever the data shows, mistakes and repetitions included, so most of the work
 * is in the data. This chapter builds a small data set and cleans it step by step:
 * <ol>
 *   <li><b>Generate</b> from templates: five tasks a program can check (reverse a word, add two
 *       numbers, capitalise, count letters, sort letters), three phrasings each, words from the
 *       opinion lexicon. A fraction {@code --noise} of examples is damaged the way scraped or
 *       model-written data is: a wrong answer, a non-ASCII character, a run-on answer, an empty one.</li>
 *   <li><b>Length</b>: drop empty responses and texts over {@code --max-chars}.</li>
 *   <li><b>Charset</b>: keep printable ASCII only.</li>
 *   <li><b>Verify</b>: recompute the answer from the task's input and drop mismatches (for real
 *       data this is a unit test for code, a calculator for arithmetic, or a judge model).</li>
 *   <li><b>Near-duplicates</b> with MinHash (Broder 1997, section 3): the texts become sets of
 *       character 5-grams, each set a signature of {@code k} minimum hashes, and
 *       {@code P[min h(A) = min h(B)] = J(A, B) = |A ∩ B| / |A ∪ B|}, so the share of equal signature
 *       entries estimates the Jaccard similarity. Pairs at or above {@code --threshold} count as
 *       one; the first is kept. Lee et al. 2022 ("Deduplicating training data makes language
 *       models better", section 4) use the same estimate on 5-grams of words.</li>
 *   <li><b>Render</b> each pair with the Alpaca template (Taori et al. 2023): preamble, then
 *       {@code ### Instruction:} and {@code ### Response:}; the prompt ends after the latter.</li>
 * </ol>
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The count after each step. Seed 42, default run (2000 examples, noise 0.2): 2000 generated,
 *       1816 after length, 1779 after charset, 1683 after verify, 1658 after de-duplication (25
 *       dropped, 21 of them exact copies); no wrong answer survives verify.</li>
 *   <li>The near-duplicate pair printed: "How many letters are in the word crack? | 5" and the same
 *       question about "cracked", estimated Jaccard 0.820 against an exact 0.810; the two differ by
 *       about {@code sqrt(J(1-J)/k)} = 0.035. Template data is mostly template, so two questions
 *       about different words in one phrasing are already near 0.7: the threshold decides whether
 *       they are "the same example".</li>
 *   <li>{@code counts.png}: the examples left after each step.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --threshold 0.7}: now questions about different words in the same phrasing
 *       ("scar" and "sulk") are called duplicates and 90 are dropped. Where should the threshold be
 *       for this data?</li>
 *   <li>{@code --hashes 16}: a shorter signature. The printed estimate gets noisier; does the count
 *       after de-duplication change?</li>
 *   <li>{@code --noise 0.5}: a worse source. Which filter removes the most?</li>
 * </ol>
 */
public final class FinetuneDataChapter implements Chapter {
    private static final String[] LEXICONS = {"lexicon/opinion_positive.txt", "lexicon/opinion_negative.txt"};

    @Override
    public String id() {
        return "finetune-data";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "instruction data from templates: length, charset and answer filters, MinHash near-duplicates, Alpaca template";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("examples", "2000", "examples to generate"),
                Option.floatInRange("noise", "0.2", 0f, 1f, "share of damaged examples"),
                Option.positiveInt("max-chars", "120", "longest instruction plus response kept"),
                Option.intInRange("hashes", "128", 1, 4096, "MinHash signature length k"),
                Option.floatInRange("threshold", "0.8", 0f, 1f, "estimated Jaccard that counts as a duplicate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        List<String> stages = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Example> data = generate(ctx);
        record(ctx, "generated", data, stages, counts);
        data = QualityFilters.length(data, ctx.intOption("max-chars"));
        record(ctx, "length", data, stages, counts);
        data = QualityFilters.charset(data);
        record(ctx, "charset", data, stages, counts);
        data = QualityFilters.verified(data);
        record(ctx, "verify", data, stages, counts);
        data = deduplicate(ctx, data, result);
        record(ctx, "dedup", data, stages, counts);
        report(ctx, stages, counts, data, result);
        renderTemplate(ctx, data.get(0));
        return result;
    }

    private static List<Example> generate(ChapterContext ctx) throws Exception {
        List<String> words = new ArrayList<>();
        for (String file : LEXICONS) {
            try (var in = new BufferedReader(new InputStreamReader(ctx.openData(file), StandardCharsets.UTF_8))) {
                in.lines().filter(w -> w.matches("[a-z]{4,9}")).forEach(words::add);
            }
        }
        int n = ctx.quick() ? 400 : ctx.intOption("examples");
        ctx.section("generating " + n + " examples from " + words.size() + " words");
        return new SyntheticTasks(words, ctx.floatOption("noise"), new Rng(ctx.seed())).generate(n);
    }

    private static void record(ChapterContext ctx, String stage, List<Example> data, List<String> stages, List<Integer> counts) {
        stages.add(stage);
        counts.add(data.size());
        ctx.printf("%-10s %5d examples%n", stage, data.size());
    }

    private static List<Example> deduplicate(ChapterContext ctx, List<Example> data, Result result) {
        MinHash minHash = new MinHash(ctx.intOption("hashes"), 5, ctx.seed());
        List<QualityFilters.Pair> caught = new ArrayList<>();
        List<Example> kept = QualityFilters.deduplicate(data, minHash, ctx.floatOption("threshold"), caught);
        long exact = caught.stream().filter(p -> p.dropped().text().equals(p.kept().text())).count();
        ctx.section("near-duplicates: " + caught.size() + " dropped (" + exact + " of them exact copies)");
        QualityFilters.Pair shown = caught.stream().filter(p -> p.exact() < 1).findFirst().orElse(null);
        if (shown != null) {
            ctx.println("kept:    " + shown.kept().text().replace("\n", " | "));
            ctx.println("dropped: " + shown.dropped().text().replace("\n", " | "));
            ctx.printf("estimated Jaccard %.3f, exact %.3f (k = %d, one standard deviation %.3f)%n", shown.estimated(),
                    shown.exact(), minHash.numHashes(),
                    Math.sqrt(shown.exact() * (1 - shown.exact()) / minHash.numHashes()));
            result.metric("pair_estimated_jaccard", shown.estimated());
            result.metric("pair_exact_jaccard", shown.exact());
        }
        result.metric("exact_copies", exact);
        return kept;
    }

    private static void report(ChapterContext ctx, List<String> stages, List<Integer> counts, List<Example> data, Result result) {
        double[] values = new double[counts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = counts.get(i);
            result.metric("after_" + stages.get(i), counts.get(i));
        }
        long wrong = data.stream().filter(e -> !SyntheticTasks.answer(e.task(), e.input()).equals(e.response())).count();
        result.metric("wrong_answers_left", wrong);
        new BarChart("Instruction examples left after each step", "step", "examples").categories(stages)
                .series("examples", values).save(ctx.outFile("counts.png"));
        ctx.println("picture: counts.png in " + ctx.outDir());
    }

    private static void renderTemplate(ChapterContext ctx, Example e) {
        ctx.section("one example in the Alpaca template (Taori et al. 2023)");
        ctx.println(InstructionTemplate.alpaca().render(e.instruction(), e.response()));
    }
}
