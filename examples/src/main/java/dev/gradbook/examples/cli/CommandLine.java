package dev.gradbook.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code run <id> [options]} into {@link RunOptions} and checks everything before the
 * chapter does any work: unknown options, missing values, options given twice, and every value
 * against its declared {@link Option.Kind} (so {@code --steps 0}, {@code --batch-size -1} and
 * {@code --lr abc} fail at once). A mistake is a {@link UsageException} naming the option and
 * what it accepts. Flags take no value; {@code --quick=false} is accepted and means off.
 */
public final class CommandLine {
    private CommandLine() {
    }

    /** The options every chapter has (their defaults are resolved in {@link #parse}). */
    static final List<Option> COMMON = List.of(
            Option.flag("quick", "a short run (seconds), as the tests use"),
            new Option("seed", "42", "seed for every random choice", false,
                    Option.Kind.wholeNumber(Long.MIN_VALUE, Long.MAX_VALUE)),
            Option.value("out", null, "where pictures and checkpoints go (default out/<id>)"),
            Option.positiveInt("steps", null, "train for N steps instead of the chapter's default"),
            Option.value("data", null, "read data sets from DIR instead of the copies in the jar"));

    /** A mistake in the command line: the message is shown with the usage text, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static RunOptions parse(Chapter chapter, List<String> args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + shorten(arg) + "' (options start with --)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = find(chapter, name);
            if (option == null) {
                throw new UsageException("unknown option --" + shorten(name) + " for chapter '" + chapter.id() + "'");
            }
            if (option.flag()) {
                value = value == null ? "true" : value;
            } else if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option --" + name + " needs a value: " + option.kind().description());
                }
                value = args.get(++i);
            }
            option.check(value);
            if (given.put(name, value) != null) {
                throw new UsageException("option --" + name + " is given twice");
            }
        }
        return toRunOptions(chapter, given);
    }

    private static RunOptions toRunOptions(Chapter chapter, Map<String, String> given) {
        boolean quick = "true".equals(given.remove("quick"));
        long seed = Long.parseLong(given.getOrDefault("seed", "42").strip());
        given.remove("seed");
        String out = given.remove("out");
        String steps = given.remove("steps");
        String data = given.remove("data");
        Map<String, String> extra = new HashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            // a flag given =false is simply off, as if absent
            if (!(find(chapter, e.getKey()).flag() && e.getValue().equals("false"))) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new RunOptions(quick, seed, out == null ? Path.of("out", chapter.id()) : Path.of(out),
                steps == null ? -1 : Integer.parseInt(steps.strip()), data == null ? null : Path.of(data), extra);
    }

    /**
     * Checks the folders of a run before it starts: the output folder can be created and written
     * (by writing and deleting a small file), and {@code --data}, if given, is a folder.
     */
    public static void checkFolders(RunOptions options) {
        Path out = options.outDir();
        try {
            Files.createDirectories(out);
            Files.delete(Files.createTempFile(out, ".gradbook-write-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new UsageException("--out " + out + ": cannot write there (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        if (options.dataDir() != null && !Files.isDirectory(options.dataDir())) {
            throw new UsageException("--data " + options.dataDir() + ": no such folder");
        }
    }

    private static Option find(Chapter chapter, String name) {
        for (Option o : COMMON) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        for (Option o : chapter.options()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** At most 60 characters of user input, for messages. */
    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
