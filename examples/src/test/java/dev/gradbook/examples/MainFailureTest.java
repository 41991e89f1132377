package dev.gradbook.examples;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.cli.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a failing chapter ends: exit 1 and one clear line, not a stack trace. */
class MainFailureTest {

    private static Chapter throwing(Throwable t) {
        return new Chapter() {
            public String id() {
                return "failing";
            }

            public Part part() {
                return Part.FOUNDATIONS;
            }

            public String summary() {
                return "fails";
            }

            public Result run(ChapterContext ctx) throws Exception {
                if (t instanceof Exception e) {
                    throw e;
                }
                throw (Error) t;
            }
        };
    }

    private static String[] run(Chapter chapter, Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.runChapter(chapter, RunOptions.quick("failing", dir), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8).strip()};
    }

    @Test
    void outOfMemoryIsOneLineWithTheHeapAndHowToRaiseIt(@TempDir Path dir) {
        for (Throwable t : new Throwable[] {new OutOfMemoryError("Java heap space"),
                new RuntimeException("worker failed", new OutOfMemoryError("Java heap space"))}) {
            String[] r = run(throwing(t), dir);
            assertEquals("1", r[0]);
            assertFalse(r[1].contains("\n"), "one line: " + r[1]);
            assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
            assertTrue(r[1].contains("out of memory") && r[1].contains("MB") && r[1].contains("-Xmx"), r[1]);
        }
    }

    @Test
    void aUsageErrorFoundByTheChapterExits2(@TempDir Path dir) {
        String[] r = run(throwing(new dev.gradbook.examples.cli.CommandLine.UsageException("--width must be a "
                + "whole number, got 'x'")), dir);
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--width"), r[1]);
    }

    @Test
    void anyOtherFailureExits1WithItsMessage(@TempDir Path dir) {
        String[] r = run(throwing(new IllegalArgumentException("no such file data/x.csv")), dir);
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("no such file data/x.csv"), r[1]);
    }
}
