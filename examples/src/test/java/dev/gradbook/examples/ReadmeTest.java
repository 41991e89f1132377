package dev.gradbook.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java cannot rot: every {@code ```java} block must appear, line for line, in a
 * compiled source file of the project, and the first program must run and learn.
 */
class ReadmeTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void everyJavaBlockOfTheReadmeIsCompiledSource() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(ROOT.resolve("README.md")));
        assertFalse(blocks.isEmpty(), "the README has no ```java block");
        List<String> sources = new ArrayList<>();
        for (String module : new String[] {"core", "nn", "transformer", "examples"}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    sources.add(normalise(Files.readString(f)));
                }
            }
        }
        for (String block : blocks) {
            String wanted = normalise(block);
            assertTrue(sources.stream().anyMatch(s -> s.contains(wanted)),
                    "this README block is not in any source file under */src/main/java:\n" + block);
        }
    }

    @Test
    void theFirstProgramLearnsIris() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FirstProgram.main(new String[] {ROOT.resolve("data").toString()});
        } finally {
            System.setOut(out);
        }
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(captured.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), captured.toString(StandardCharsets.UTF_8));
        assertTrue(Double.parseDouble(m.group(1)) >= 0.9, m.group());
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Lines without their leading and trailing blanks: indentation may differ between README and source. */
    private static String normalise(String text) {
        return text.lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
    }
}
