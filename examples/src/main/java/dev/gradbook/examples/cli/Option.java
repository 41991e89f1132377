package dev.gradbook.examples.cli;

import java.util.List;
import java.util.Locale;

/**
 * A chapter-specific command-line option, e.g. {@code --block-size 128}, and the values it
 * accepts. {@link CommandLine} checks every value against its {@link Kind} before the chapter
 * starts, so that {@code --batch-size 0} or {@code --lr abc} is a usage error (exit 2) naming the
 * option and what it accepts, not a failure after an epoch of training.
 *
 * <pre>{@code
 * Option.positiveInt("batch-size", "16", "sequences per step")      // 1, 2, ...
 * Option.nonNegativeInt("top-k", "0", "... (0: all)")               // 0, 1, ...
 * Option.positiveFloat("lr", "2e-3", "peak learning rate")          // finite, > 0
 * Option.floatInRange("b", "0.75", 0, 1, "length normalisation")    // finite, 0 <= b <= 1
 * Option.choice("dataset", "wine", "the data", "wine", "iris")      // one of the names
 * Option.value("prompt", "\n", "any text")
 * Option.flag("sample", "only generate")                            // --sample, --sample=true, --sample=false
 * }</pre>
 * Flags (no value) have a null {@code defaultValue} and {@code flag == true}. A default is checked
 * against its kind when the option is declared.
 */
public record Option(String name, String defaultValue, String help, boolean flag, Kind kind) {

    public Option {
        if (flag != (kind == Kind.FLAG)) {
            throw new IllegalArgumentException("option --" + name + ": a flag has kind FLAG, and only a flag");
        }
        if (!flag && defaultValue != null) {
            String problem = kind.problem(defaultValue);
            if (problem != null) {
                throw new IllegalArgumentException("option --" + name + ": its default '" + defaultValue + "' is not "
                        + kind.description());
            }
        }
    }

    /** An option declared before options had kinds: any text, or a flag. */
    public Option(String name, String defaultValue, String help, boolean flag) {
        this(name, defaultValue, help, flag, flag ? Kind.FLAG : Kind.TEXT);
    }

    /** Any text; the chapter reads and checks it. Prefer a typed kind below when there is one. */
    public static Option value(String name, String defaultValue, String help) {
        return new Option(name, defaultValue, help, false, Kind.TEXT);
    }

    /** On when given ({@code --name} or {@code --name=true}), off when absent or {@code --name=false}. */
    public static Option flag(String name, String help) {
        return new Option(name, null, help, true, Kind.FLAG);
    }

    /** A whole number from 1 up: counts, sizes, steps. */
    public static Option positiveInt(String name, String defaultValue, String help) {
        return intInRange(name, defaultValue, 1, Integer.MAX_VALUE, help);
    }

    /** A whole number from 0 up (0 usually meaning "none" or "all", as the help says). */
    public static Option nonNegativeInt(String name, String defaultValue, String help) {
        return intInRange(name, defaultValue, 0, Integer.MAX_VALUE, help);
    }

    /** A whole number in {@code [min, max]}. */
    public static Option intInRange(String name, String defaultValue, int min, int max, String help) {
        return new Option(name, defaultValue, help, false, Kind.wholeNumber(min, max));
    }

    /** A finite number greater than 0: learning rates, temperatures. */
    public static Option positiveFloat(String name, String defaultValue, String help) {
        return new Option(name, defaultValue, help, false, Kind.number(0, false, Float.MAX_VALUE));
    }

    /** A finite number from 0 up. */
    public static Option nonNegativeFloat(String name, String defaultValue, String help) {
        return new Option(name, defaultValue, help, false, Kind.number(0, true, Float.MAX_VALUE));
    }

    /** Any finite number. */
    public static Option finiteFloat(String name, String defaultValue, String help) {
        return new Option(name, defaultValue, help, false, Kind.number(-Float.MAX_VALUE, true, Float.MAX_VALUE));
    }

    /** A finite number in {@code [min, max]}. */
    public static Option floatInRange(String name, String defaultValue, float min, float max, String help) {
        return new Option(name, defaultValue, help, false, Kind.number(min, true, max));
    }

    /** One of the given words. */
    public static Option choice(String name, String defaultValue, String help, String... choices) {
        return new Option(name, defaultValue, help, false, Kind.choice(List.of(choices)));
    }

    /** A comma-separated list of whole numbers from 1 up, e.g. {@code 256,128}; empty if {@code allowEmpty}. */
    public static Option positiveInts(String name, String defaultValue, boolean allowEmpty, String help) {
        return new Option(name, defaultValue, help, false, Kind.positiveInts(allowEmpty));
    }

    /**
     * Throws a {@link CommandLine.UsageException} naming this option and what it accepts unless
     * {@code value} is acceptable.
     */
    public void check(String value) {
        String problem = kind.problem(value);
        if (problem != null) {
            throw new CommandLine.UsageException("--" + name + " must be " + kind.description() + ", got '"
                    + CommandLine.shorten(value) + "'" + (problem.isEmpty() ? "" : " (" + problem + ")"));
        }
    }

    /**
     * The values an option accepts: {@link #problem} says why a value is not one of them (null if
     * it is), {@link #description} says what they are, for messages and {@code help}.
     */
    public interface Kind {
        Kind TEXT = of("any text", v -> null);
        Kind FLAG = of("a flag", v -> v.equals("true") || v.equals("false") ? null : "");

        /** Null if {@code value} is acceptable, else a reason (possibly empty). */
        String problem(String value);

        String description();

        static Kind of(String description, java.util.function.Function<String, String> problem) {
            return new Kind() {
                @Override
                public String problem(String value) {
                    return problem.apply(value);
                }

                @Override
                public String description() {
                    return description;
                }
            };
        }

        static Kind wholeNumber(long min, long max) {
            boolean unbounded = max == Integer.MAX_VALUE || max == Long.MAX_VALUE;
            String range = min == Long.MIN_VALUE ? "" : unbounded ? ">= " + min : "from " + min + " to " + max;
            return of(("a whole number " + range).strip(), v -> {
                try {
                    long n = Long.parseLong(v.strip());
                    return n < min ? "too small" : n > max ? "too large: at most " + max : null;
                } catch (NumberFormatException e) {
                    return "";
                }
            });
        }

        static Kind number(double min, boolean minIncluded, double max) {
            String range = max < Float.MAX_VALUE ? "from " + format(min) + " to " + format(max)
                    : min > -Float.MAX_VALUE ? (minIncluded ? ">= " : "> ") + format(min) : "";
            return of(("a finite number " + range).strip(), v -> {
                float x;
                try {
                    x = Float.parseFloat(v.strip());
                } catch (NumberFormatException e) {
                    return "";
                }
                if (!Float.isFinite(x)) {
                    return "not finite in float32";
                }
                return (minIncluded ? x >= min : x > min) && x <= max ? null : "out of range";
            });
        }

        static Kind choice(List<String> choices) {
            return of("one of " + String.join(", ", choices), v -> choices.contains(v) ? null : "");
        }

        static Kind positiveInts(boolean allowEmpty) {
            return of("comma-separated whole numbers >= 1" + (allowEmpty ? " (or empty)" : ""), v -> {
                if (v.isBlank()) {
                    return allowEmpty ? null : "empty";
                }
                for (String part : v.split(",", -1)) {
                    try {
                        if (Integer.parseInt(part.strip()) < 1) {
                            return "'" + part.strip() + "' is not >= 1";
                        }
                    } catch (NumberFormatException e) {
                        return "'" + CommandLine.shorten(part) + "' is not a whole number";
                    }
                }
                return null;
            });
        }

        private static String format(double x) {
            return x == Math.rint(x) ? String.valueOf((long) x) : String.format(Locale.ROOT, "%s", x);
        }
    }
}
