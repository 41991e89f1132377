package dev.gradbook.examples.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a chapter found: named numbers (accuracy, loss, ...) in the order they were added, and
 * short notes. Printed as the result block at the end of a run; read by the chapter's test.
 */
public final class Result {
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    public Result metric(String name, double value) {
        metrics.put(name, value);
        return this;
    }

    public Result note(String name, String text) {
        notes.put(name, text);
        return this;
    }

    public double get(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "' in this result (have " + metrics.keySet() + ")");
        }
        return v;
    }

    public Map<String, Double> metrics() {
        return Collections.unmodifiableMap(metrics);
    }

    public Map<String, String> notes() {
        return Collections.unmodifiableMap(notes);
    }

    /** The block printed at the end of a run. */
    public String format() {
        StringBuilder sb = new StringBuilder("== result ==\n");
        int width = 0;
        for (String k : metrics.keySet()) {
            width = Math.max(width, k.length());
        }
        for (String k : notes.keySet()) {
            width = Math.max(width, k.length());
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", e.getKey(), number(e.getValue())));
        }
        for (Map.Entry<String, String> e : notes.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6
                ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
