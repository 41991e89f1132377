package dev.gradbook.examples.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shipped data sets (see {@code data/DATASETS.md}): in a folder given with
 * {@code --data}, or else inside the jar under {@code /datasets/}. A missing file is an error
 * that names the file and where it was looked for.
 */
public final class Datasets {
    private Datasets() {
    }

    public static InputStream open(Path dataDir, String relative) throws IOException {
        if (dataDir != null) {
            Path file = dataDir.resolve(relative);
            if (!Files.isRegularFile(file)) {
                throw new FileNotFoundException("data file not found: " + file.toAbsolutePath()
                        + " (from --data " + dataDir + ")");
            }
            return Files.newInputStream(file);
        }
        InputStream in = Datasets.class.getResourceAsStream("/datasets/" + relative);
        if (in == null) {
            throw new FileNotFoundException("data file not found: " + relative
                    + " is not among the data sets packed in the jar (see data/DATASETS.md)");
        }
        return in;
    }

    public static String describe(Path dataDir, String relative) {
        return dataDir != null ? dataDir.resolve(relative).toString() : "jar:/datasets/" + relative;
    }
}
