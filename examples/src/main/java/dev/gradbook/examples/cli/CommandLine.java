package dev.gradbook.examples.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code run <id> [options]} into {@link RunOptions}, rejecting anything the chapter
 * does not declare with a {@link UsageException} that says what was wrong.
 */
public final class CommandLine {
    private CommandLine() {
    }

    /** A mistake in the command line: the message is shown with the usage text, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static RunOptions parse(Chapter chapter, List<String> args) {
        boolean quick = false;
        long seed = 42;
        Path out = Path.of("out", chapter.id());
        int steps = -1;
        Path data = null;
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (options start with --)");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inlineValue = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("quick")) {
                quick = true;
                continue;
            }
            Option declared = find(chapter, name);
            boolean common = List.of("seed", "out", "steps", "data").contains(name);
            if (!common && declared == null) {
                throw new UsageException("unknown option --" + name + " for chapter '" + chapter.id() + "'");
            }
            if (declared != null && declared.flag()) {
                extra.put(name, "true");
                continue;
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "seed" -> seed = parseLong(name, value);
                case "out" -> out = Path.of(value);
                case "steps" -> steps = (int) parseLong(name, value);
                case "data" -> data = Path.of(value);
                default -> extra.put(name, value);
            }
        }
        return new RunOptions(quick, seed, out, steps, data, extra);
    }

    private static Option find(Chapter chapter, String name) {
        for (Option o : chapter.options()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + value + "'");
        }
    }
}
