package dev.gradbook.examples.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * The parsed command line of {@code run <id>}: the common options and the chapter's own.
 *
 * @param quick   a short run (what the chapter's test uses)
 * @param seed    every random choice derives from it
 * @param outDir  where pictures and checkpoints go (default {@code out/<id>})
 * @param steps   training steps to use instead of the chapter's default, or -1
 * @param dataDir a folder to read data sets from instead of the copies inside the jar, or null
 * @param extra   chapter-specific options by name (without the leading dashes); flags map to "true"
 */
public record RunOptions(boolean quick, long seed, Path outDir, int steps, Path dataDir, Map<String, String> extra) {
    public RunOptions {
        extra = Map.copyOf(extra);
    }

    /** Defaults for a chapter, as the tests use them: quick, seed 42, output under target/. */
    public static RunOptions quick(String id, Path outRoot) {
        return new RunOptions(true, 42, outRoot.resolve(id), -1, null, Map.of());
    }

    public RunOptions withExtra(Map<String, String> more) {
        java.util.Map<String, String> merged = new java.util.HashMap<>(extra);
        merged.putAll(more);
        return new RunOptions(quick, seed, outDir, steps, dataDir, merged);
    }
}
