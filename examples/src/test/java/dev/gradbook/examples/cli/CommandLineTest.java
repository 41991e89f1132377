package dev.gradbook.examples.cli;

import dev.gradbook.examples.ChapterRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every option is checked before a chapter does any work: usage errors exit 2 and say what is allowed. */
class CommandLineTest {
    /** A chapter that records whether it ran, with one option of each kind. */
    private static final class Probe implements Chapter {
        boolean ran;

        public String id() {
            return "probe";
        }

        public Part part() {
            return Part.FOUNDATIONS;
        }

        public String summary() {
            return "probe";
        }

        public List<Option> options() {
            return List.of(Option.positiveInt("batch-size", "16", "sequences per step"),
                    Option.nonNegativeInt("top-k", "0", "0: all"),
                    Option.positiveFloat("lr", "2e-3", "learning rate"),
                    Option.nonNegativeFloat("k1", "1.2", "saturation"),
                    Option.floatInRange("b", "0.75", 0f, 1f, "normalisation"),
                    Option.choice("dataset", "wine", "the data", "wine", "iris"),
                    Option.positiveInts("hidden", "8,4", true, "sizes"),
                    Option.value("prompt", "\n", "any text"),
                    Option.flag("sample", "only generate"));
        }

        public Result run(ChapterContext ctx) {
            ran = true;
            return new Result();
        }
    }

    private static String usageError(String... args) {
        Probe probe = new Probe();
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse(probe, List.of(args)), String.join(" ", args));
        return e.getMessage();
    }

    @Test
    void stepsMustBeAPositiveIntNotWrappedOrIgnored() {
        assertTrue(usageError("--steps", "0").contains("--steps must be a whole number >= 1"), usageError("--steps", "0"));
        assertTrue(usageError("--steps", "-5").contains("got '-5'"));
        assertTrue(usageError("--steps", "4294967297").contains("at most 2147483647"), usageError("--steps", "4294967297"));
        assertTrue(usageError("--steps", "abc").contains("got 'abc'"));
        assertEquals(12, CommandLine.parse(new Probe(), List.of("--steps", "12")).steps());
    }

    @Test
    void typedChapterOptionsAreCheckedAtParseTime() {
        String m = usageError("--batch-size", "0");
        assertTrue(m.contains("--batch-size") && m.contains(">= 1") && m.contains("got '0'"), m);
        assertTrue(usageError("--top-k", "-3").contains("--top-k must be a whole number >= 0"));
        m = usageError("--lr", "abc");
        assertTrue(m.contains("--lr must be a finite number > 0, got 'abc'"), m);
        assertTrue(usageError("--lr", "0").contains("--lr"));
        assertTrue(usageError("--lr", "NaN").contains("--lr"));
        assertTrue(usageError("--lr", "1e39").contains("not finite"), usageError("--lr", "1e39"));
        assertTrue(usageError("--k1", "-1").contains("--k1 must be a finite number >= 0"));
        assertTrue(usageError("--b", "1.5").contains("from 0 to 1"), usageError("--b", "1.5"));
        assertTrue(usageError("--dataset", "digits").contains("one of wine, iris"));
        assertTrue(usageError("--hidden", "8,0").contains("'0' is not >= 1"), usageError("--hidden", "8,0"));
        assertTrue(usageError("--hidden", "8,x").contains("--hidden"));
        RunOptions ok = CommandLine.parse(new Probe(), List.of("--batch-size", "4", "--lr=1e30", "--b", "1",
                "--hidden", "", "--dataset", "iris", "--prompt", "anything at all"));
        assertEquals("4", ok.extra().get("batch-size"));
    }

    @Test
    void aFlagGivenFalseIsOffAndAnyOtherValueIsRejected() {
        RunOptions o = CommandLine.parse(new Probe(), List.of("--quick=false", "--sample=false"));
        assertFalse(o.quick());
        ChapterContext ctx = new ChapterContext(new Probe(), o, System.out);
        assertFalse(ctx.flag("sample"));
        RunOptions on = CommandLine.parse(new Probe(), List.of("--quick=true", "--sample"));
        assertTrue(on.quick());
        assertTrue(new ChapterContext(new Probe(), on, System.out).flag("sample"));
        assertTrue(usageError("--quick=yes").contains("--quick must be a flag"), usageError("--quick=yes"));
    }

    @Test
    void anOptionGivenTwiceOrWithoutItsValueIsRejected() {
        assertTrue(usageError("--lr", "1", "--lr", "2").contains("--lr is given twice"));
        assertTrue(usageError("--lr").contains("--lr needs a value"));
    }

    @Test
    void declaringADefaultOutsideItsKindFailsAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Option.positiveInt("batch-size", "0", "help"));
        assertTrue(e.getMessage().contains("--batch-size") && e.getMessage().contains("'0'"), e.getMessage());
    }

    @Test
    void everyChaptersDefaultsFitTheirKinds() {
        for (Chapter c : dev.gradbook.examples.Chapters.all()) {
            for (Option o : c.options()) {
                if (!o.flag()) {
                    o.check(o.defaultValue()); // also checked when declared; this makes every chapter declare
                }
            }
        }
    }

    @Test
    void theOldDeclarationsStillCompileAndAcceptText() {
        Option old = new Option("width", "8", "a width", false);
        assertEquals(Option.Kind.TEXT, old.kind());
        assertEquals(Option.Kind.FLAG, Option.flag("x", "y").kind());
        assertEquals("8", Option.value("width", "8", "w").defaultValue());
    }

    @Test
    void anUnwritableOutputFolderIsAUsageErrorBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        RunOptions o = CommandLine.parse(new Probe(), List.of("--out", file.resolve("sub").toString()));
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class, () -> CommandLine.checkFolders(o));
        assertTrue(e.getMessage().contains("--out") && e.getMessage().contains("cannot write"), e.getMessage());
        RunOptions missingData = CommandLine.parse(new Probe(), List.of("--out", dir.toString(), "--data",
                dir.resolve("nope").toString()));
        assertTrue(assertThrows(CommandLine.UsageException.class, () -> CommandLine.checkFolders(missingData))
                .getMessage().contains("--data"));
        CommandLine.checkFolders(CommandLine.parse(new Probe(), List.of("--out", dir.resolve("new").toString())));
        assertTrue(Files.isDirectory(dir.resolve("new")));
        try (var files = Files.list(dir.resolve("new"))) {
            assertEquals(0, files.count(), "the write check leaves nothing behind");
        }
    }

    @Test
    void theGptChaptersBadOptionsExit2BeforeTraining(@TempDir Path dir) throws Exception {
        String out = dir.toString();
        for (String[] bad : new String[][] {{"--steps", "0"}, {"--steps", "-5"}, {"--steps", "4294967297"},
                {"--batch-size", "0"}, {"--temperature", "-1"}, {"--top-k", "-3"}, {"--tokens", "-5"},
                {"--lr", "abc"}, {"--steps", "abc"}, {"--resume=maybe"}}) {
            String[] args = new String[bad.length + 4];
            args[0] = "run";
            args[1] = "gpt";
            args[2] = "--out";
            args[3] = out;
            System.arraycopy(bad, 0, args, 4, bad.length);
            ChapterRunner.Cli o = ChapterRunner.main(args);
            assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.err());
            assertTrue(o.err().contains("--" + bad[0].substring(2).split("=")[0]), o.err());
            assertFalse(o.out().contains("=="), "the chapter did not start: " + o.out());
        }
        Path file = Files.writeString(dir.resolve("f"), "x");
        ChapterRunner.Cli o = ChapterRunner.main("run", "gpt", "--quick", "--out", file.resolve("sub").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("cannot write"), o.err());
    }
}
