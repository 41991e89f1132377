package dev.gradbook.examples;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.CommandLine;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.cli.RunOptions;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line of the tour:
 * <pre>
 *   gradbook list                      the chapters, grouped by roadmap part
 *   gradbook run &lt;id&gt; [options]        run one chapter
 *   gradbook help [&lt;id&gt;]               usage, or a chapter's options
 *   gradbook base-model [--out FILE]   remake the shipped base model (see BaseModel)
 * </pre>
 * Exit codes: 0 success, 1 the chapter failed (the message names the problem), 2 usage error.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (tests call this directly). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> list = Arrays.asList(args);
        if (list.isEmpty() || list.get(0).equals("--help") || list.get(0).equals("-h")) {
            out.print(usage());
            return list.isEmpty() ? 2 : 0;
        }
        try {
            switch (list.get(0)) {
                case "list" -> {
                    out.print(listing());
                    return 0;
                }
                case "base-model" -> {
                    return dev.gradbook.examples.llm.BaseModelTraining.run(list.subList(1, list.size()), out, err);
                }
                case "help" -> {
                    out.print(list.size() > 1 ? chapterHelp(find(list.get(1))) : usage());
                    return 0;
                }
                case "run" -> {
                    if (list.size() < 2) {
                        throw new CommandLine.UsageException("run needs a chapter id (see 'list')");
                    }
                    Chapter chapter = find(list.get(1));
                    if (list.contains("--help")) {
                        out.print(chapterHelp(chapter));
                        return 0;
                    }
                    RunOptions options = CommandLine.parse(chapter, list.subList(2, list.size()));
                    CommandLine.checkFolders(options);
                    return runChapter(chapter, options, out, err);
                }
                default -> throw new CommandLine.UsageException("unknown command '" + list.get(0) + "'");
            }
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
    }

    static int runChapter(Chapter chapter, RunOptions options, PrintStream out, PrintStream err) {
        out.println("== " + chapter.id() + ": " + chapter.summary() + " ==");
        out.printf(Locale.ROOT, "seed %d%s, output in %s%n", options.seed(), options.quick() ? ", quick run" : "",
                options.outDir());
        long start = System.nanoTime();
        try {
            Result result = chapter.run(new ChapterContext(chapter, options, out));
            out.println();
            out.print(result.format());
            out.printf(Locale.ROOT, "(%.1f s)%n", (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (CommandLine.UsageException e) {
            // an option the chapter reads itself (declared as any text) held a bad value
            err.println();
            err.println("error: " + e.getMessage() + " (see 'help " + chapter.id() + "')");
            return 2;
        } catch (OutOfMemoryError e) {
            err.println();
            err.println(outOfMemory(chapter, e));
            return 1;
        } catch (Exception e) {
            err.println();
            if (causedByOutOfMemory(e)) {
                err.println(outOfMemory(chapter, e));
                return 1;
            }
            err.println("error in chapter '" + chapter.id() + "': " + e.getMessage());
            if (Boolean.getBoolean("gradbook.trace")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /** One line instead of a stack trace: how much heap there was, and how to get more. */
    static String outOfMemory(Chapter chapter, Throwable e) {
        Runtime rt = Runtime.getRuntime();
        long mb = 1024 * 1024;
        long used = (rt.totalMemory() - rt.freeMemory()) / mb;
        long max = rt.maxMemory() / mb;
        long more = Math.max(1, 2 * max / 1024 + 1);
        return String.format(Locale.ROOT, "error in chapter '%s': out of memory (%s): the Java heap holds %,d MB of "
                + "at most %,d MB. Give Java more with -Xmx, e.g. java -Xmx%dg --add-modules jdk.incubator.vector "
                + "-jar gradbook-examples.jar run %s ..., or use a smaller setting (--batch-size, --quick)",
                chapter.id(), e.getMessage(), used, max, more, chapter.id());
    }

    private static boolean causedByOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static Chapter find(String id) {
        for (Chapter c : Chapters.all()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new CommandLine.UsageException("unknown chapter '" + id + "' (see 'list' for the chapters)");
    }

    static String usage() {
        return """
                usage: gradbook <command>
                  list                   the chapters, grouped by roadmap part
                  run <id> [options]     run one chapter
                  help [<id>]            this text, or one chapter's options
                  base-model             remake data/models/shakespeare-char-gpt.safetensors
                                         from the repository root (minutes; see data/DATASETS.md)

                options of run (checked before the chapter starts; a mistake exits with code 2):
                  --quick                a short run (seconds), as the tests use (flags also take
                                         =true or =false: --quick=false is a full run)
                  --seed N               seed for every random choice (default 42)
                  --out DIR              where pictures and checkpoints go (default out/<id>)
                  --steps N              train for N steps (N >= 1) instead of the chapter's default
                  --data DIR             read data sets from DIR instead of the copies in the jar
                  (each chapter may have more: gradbook help <id>)
                """;
    }

    static String listing() {
        StringBuilder sb = new StringBuilder();
        for (Part part : Part.values()) {
            List<Chapter> chapters = Chapters.all().stream().filter(c -> c.part() == part).toList();
            if (chapters.isEmpty()) {
                continue;
            }
            sb.append(part.title).append('\n');
            for (Chapter c : chapters) {
                sb.append(String.format(Locale.ROOT, "  %-24s %s%n", c.id(), c.summary()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String chapterHelp(Chapter chapter) {
        StringBuilder sb = new StringBuilder();
        sb.append(chapter.id()).append(": ").append(chapter.summary()).append("\n\n");
        sb.append("usage: gradbook run ").append(chapter.id()).append(" [--quick] [--seed N] [--out DIR] [--steps N]")
                .append(" [--data DIR]");
        for (Option o : chapter.options()) {
            sb.append(o.flag() ? " [--" + o.name() + "]" : " [--" + o.name() + " V]");
        }
        sb.append('\n');
        for (Option o : chapter.options()) {
            String accepts = o.kind() == Option.Kind.TEXT ? "" : "; " + o.kind().description();
            sb.append(String.format(Locale.ROOT, "  --%-18s %s%s%n", o.name(), o.help(),
                    o.flag() ? "" : " (default " + o.defaultValue().replace("\n", "\\n") + accepts + ")"));
        }
        return sb.toString();
    }
}
