package dev.gradbook.examples.cli;

import dev.gradbook.examples.Chapters;
import dev.gradbook.examples.ChapterRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private static ChapterRunner.Cli run(String... args) {
        return ChapterRunner.main(args);
    }

    @Test
    void listGroupsEveryChapterUnderItsPart() {
        ChapterRunner.Cli o = run("list");
        assertEquals(0, o.code());
        for (Chapter c : Chapters.all()) {
            assertTrue(o.out().contains(c.id()), "list misses " + c.id());
            assertTrue(o.out().contains(c.part().title), "list misses the heading " + c.part().title);
        }
    }

    @Test
    void chapterIdsAreUnique() {
        List<String> ids = Chapters.all().stream().map(Chapter::id).toList();
        assertEquals(ids.size(), ids.stream().distinct().count(), "duplicate ids in " + ids);
    }

    @Test
    void unknownChapterPrintsUsageAndFails() {
        ChapterRunner.Cli o = run("run", "no-such-chapter");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown chapter 'no-such-chapter'"), o.err());
        assertTrue(o.err().contains("usage:"), o.err());
    }

    @Test
    void unknownCommandAndMissingArgumentsFail() {
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("run").code());
        assertEquals(2, run().code());
        assertEquals(0, run("--help").code());
    }

    @Test
    void unknownOptionIsRejectedByName() {
        Chapter any = Chapters.all().get(0);
        ChapterRunner.Cli o = run("run", any.id(), "--no-such-option", "3");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown option --no-such-option"), o.err());
    }

    @Test
    void badNumbersAreNamed() {
        Chapter any = Chapters.all().get(0);
        ChapterRunner.Cli o = run("run", any.id(), "--seed", "abc");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--seed must be a whole number") && o.err().contains("got 'abc'"), o.err());
    }

    @Test
    void missingDataFolderNamesTheFile() {
        Exception e = assertThrows(java.io.FileNotFoundException.class,
                () -> Datasets.open(java.nio.file.Path.of("/nonexistent-dir"), "tabular/iris.csv"));
        assertTrue(e.getMessage().contains("/nonexistent-dir/tabular/iris.csv"), e.getMessage());
    }

    @Test
    void parsesCommonAndChapterOptions() {
        Chapter chapter = new Chapter() {
            public String id() {
                return "demo";
            }

            public Part part() {
                return Part.FOUNDATIONS;
            }

            public String summary() {
                return "demo";
            }

            public List<Option> options() {
                return List.of(Option.value("width", "8", "a width"), Option.flag("fancy", "be fancy"));
            }

            public Result run(ChapterContext ctx) {
                return new Result();
            }
        };
        RunOptions o = CommandLine.parse(chapter, List.of("--quick", "--seed", "7", "--steps=30", "--width", "16",
                "--fancy", "--out", "x/y"));
        assertTrue(o.quick());
        assertEquals(7, o.seed());
        assertEquals(30, o.steps());
        assertEquals("16", o.extra().get("width"));
        assertEquals("true", o.extra().get("fancy"));
        assertEquals(java.nio.file.Path.of("x/y"), o.outDir());
        ChapterContext ctx = new ChapterContext(chapter, CommandLine.parse(chapter, List.of()), System.out);
        assertEquals(8, ctx.intOption("width"));
        assertEquals(false, ctx.flag("fancy"));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(chapter, List.of("--width")));
    }
}
