package dev.gradbook.examples.cli;

import java.util.List;

/**
 * One chapter of the tour: one idea of the roadmap, runnable with {@code gradbook run <id>}.
 *
 * <p>A chapter prints what it does while it trains (through {@link ChapterContext}), writes its
 * pictures under {@code ctx.outDir()}, and returns a {@link Result} whose named numbers are what
 * its test asserts. Its class Javadoc is the text of the chapter: the idea, the equations, the
 * source, what to look for in the output, and exercises.
 */
public interface Chapter {
    /** The command-line name, as in ROADMAP.md. */
    String id();

    Part part();

    /** One line for {@code list}. */
    String summary();

    /** Options beyond the common ones ({@code --quick --seed --out --steps --data}). */
    default List<Option> options() {
        return List.of();
    }

    Result run(ChapterContext ctx) throws Exception;
}
