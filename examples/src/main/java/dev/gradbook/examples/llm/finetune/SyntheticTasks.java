package dev.gradbook.examples.llm.finetune;

import dev.gradbook.core.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Instruction data from templates: five small tasks whose answers a program can check (reverse a
 * word, add two numbers, capitalise, count letters, sort letters), each asked in three phrasings.
 * To give the filters something to do, the generator imitates a careless data source: some
 * answers are wrong, some text has non-ASCII characters, some answers run on, some are empty.
 */
public final class SyntheticTasks {
    /** One example; {@code input} is what the answer is computed from (a word, or "A B"). */
    public record Example(String task, String input, String instruction, String response) {
        public String text() {
            return instruction + "\n" + response;
        }
    }

    private static final String[] TASKS = {"reverse", "add", "upper", "count", "sort"};
    private static final String[][] PHRASINGS = {
            {"Reverse the word: %s", "Reverse this word: %s", "Please reverse the word: %s"},
            {"Add %s and %s.", "What is %s plus %s?", "Please add %s and %s."},
            {"Write the word %s in capital letters.", "Write %s in capital letters.", "Please write the word %s in capitals."},
            {"How many letters are in the word %s?", "How many letters does %s have?", "Count the letters in the word %s."},
            {"Sort the letters of %s alphabetically.", "Sort the letters of the word %s.", "Please sort the letters of %s alphabetically."}};

    private final List<String> words;
    private final Rng rng;
    private final double noise;

    /**
     * @param words plain lower-case words to ask about
     * @param noise probability that an example is damaged (wrong, non-ASCII, run-on or empty)
     */
    public SyntheticTasks(List<String> words, double noise, Rng rng) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("SyntheticTasks: no words to build tasks from");
        }
        this.words = words;
        this.noise = noise;
        this.rng = rng;
    }

    public List<Example> generate(int n) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(damage(clean()));
        }
        return out;
    }

    /** The task names, in a fixed order: reverse, add, upper, count, sort. */
    public static List<String> tasks() {
        return List.of(TASKS);
    }

    /**
     * {@code n} clean examples (never damaged) of one task, in random phrasings: what a fine-tuning
     * chapter trains and scores on once the data has been cleaned.
     */
    public List<Example> clean(String task, int n) {
        int t = List.of(TASKS).indexOf(task);
        if (t < 0) {
            throw new IllegalArgumentException("SyntheticTasks: unknown task '" + task + "' (the tasks are "
                    + String.join(", ", TASKS) + ")");
        }
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(clean(t));
        }
        return out;
    }

    private Example clean() {
        return clean(rng.nextInt(TASKS.length));
    }

    private Example clean(int t) {
        String phrasing = PHRASINGS[t][rng.nextInt(3)];
        String task = TASKS[t];
        if (task.equals("add")) {
            int a = rng.nextInt(100);
            int b = rng.nextInt(100);
            return new Example(task, a + " " + b, String.format(phrasing, a, b), answer(task, a + " " + b));
        }
        String word = words.get(rng.nextInt(words.size()));
        return new Example(task, word, String.format(phrasing, word), answer(task, word));
    }

    private Example damage(Example e) {
        if (rng.nextDouble() >= noise) {
            return e;
        }
        return switch (rng.nextInt(4)) {
            case 0 -> new Example(e.task(), e.input(), e.instruction(), wrong(e.response()));
            case 1 -> new Example(e.task(), e.input(), e.instruction().replace("word", "w\u00f6rd"), e.response());
            case 2 -> new Example(e.task(), e.input(), e.instruction(), (e.response() + " ").repeat(40).trim());
            default -> new Example(e.task(), e.input(), e.instruction(), "");
        };
    }

    /** A plausible mistake: the last digit or letter changed. */
    private static String wrong(String answer) {
        char last = answer.charAt(answer.length() - 1);
        char changed = Character.isDigit(last) ? (char) ('0' + (last - '0' + 1) % 10) : (last == 'z' ? 'a' : (char) (last + 1));
        return answer.substring(0, answer.length() - 1) + changed;
    }

    /** The right answer, computed from the input: the verifier of every task. */
    public static String answer(String task, String input) {
        return switch (task) {
            case "reverse" -> new StringBuilder(input).reverse().toString();
            case "add" -> {
                String[] ab = input.split(" ");
                yield String.valueOf(Integer.parseInt(ab[0]) + Integer.parseInt(ab[1]));
            }
            case "upper" -> input.toUpperCase(java.util.Locale.ROOT);
            case "count" -> String.valueOf(input.length());
            case "sort" -> {
                char[] c = input.toCharArray();
                Arrays.sort(c);
                yield new String(c);
            }
            default -> throw new IllegalArgumentException("SyntheticTasks.answer: unknown task '" + task + "'");
        };
    }
}
