package dev.gradbook.examples.cli;

/**
 * A chapter-specific command-line option, e.g. {@code --block-size 128}. Flags (no value) have
 * a null {@code defaultValue} and {@code flag == true}.
 */
public record Option(String name, String defaultValue, String help, boolean flag) {
    public static Option value(String name, String defaultValue, String help) {
        return new Option(name, defaultValue, help, false);
    }

    public static Option flag(String name, String help) {
        return new Option(name, null, help, true);
    }
}
