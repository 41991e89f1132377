package dev.gradbook.examples.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart's key: a translucent white box over a top corner of the plot area with one row per
 * entry, each a mark in the entry's colour and the entry's name. The mark shows how the entry is
 * drawn in the chart: a filled box for bars and areas, a short thick line for curves.
 */
final class Legend {
    /** How an entry's mark is drawn. */
    enum Mark {
        /** A filled box, in equal vertical stripes when the entry has several colours (a field's shades). */
        BOX,
        /** A short thick line in the entry's first colour. */
        LINE
    }

    private record Entry(String name, Mark mark, List<Color> colours) {
    }

    private static final int ROW = 18;        // pixels from one entry's row to the next
    private static final int MARK_WIDTH = 20;
    private static final int TEXT_GAP = 26;   // from the mark's left edge to the name
    private final List<Entry> entries = new ArrayList<>();

    /** Adds an entry; the mark is striped across the colours when there are several. */
    Legend add(String name, Mark mark, Color... colours) {
        entries.add(new Entry(name, mark, List.of(colours)));
        return this;
    }

    /** In the top-right corner of the plot area, where curves that fall or level off leave room. */
    void drawTopRight(Canvas c, Axes axes) {
        draw(c, axes.x0 + axes.width - boxWidth(maxNameWidth(c)), axes.y0 + 10);
    }

    /** In the top-left corner of the plot area. */
    void drawTopLeft(Canvas c, Axes axes) {
        draw(c, axes.x0 + 12, axes.y0 + 10);
    }

    /** A 6-pixel margin, the mark and the gap after it, the longest name, an 8-pixel margin. */
    private static int boxWidth(int nameWidth) {
        return 6 + TEXT_GAP + nameWidth + 8;
    }

    private int maxNameWidth(Canvas c) {
        c.g.setFont(Canvas.LABEL);
        int w = 0;
        for (Entry e : entries) {
            w = Math.max(w, c.g.getFontMetrics().stringWidth(e.name));
        }
        return w;
    }

    /** The box with its first mark's top-left corner at (x, y). */
    private void draw(Canvas c, int x, int y) {
        if (entries.isEmpty()) {
            return;
        }
        int w = maxNameWidth(c);
        c.g.setColor(new Color(255, 255, 255, 225));
        c.g.fillRect(x - 6, y - 4, boxWidth(w), entries.size() * ROW + 6);
        for (int k = 0; k < entries.size(); k++) {
            Entry e = entries.get(k);
            int top = y + k * ROW;
            if (e.mark == Mark.LINE) {
                c.g.setColor(e.colours.get(0));
                c.g.fillRect(x, top + 5, MARK_WIDTH, 3);
            } else {
                int stripe = MARK_WIDTH / e.colours.size();
                for (int s = 0; s < e.colours.size(); s++) {
                    c.g.setColor(e.colours.get(s));
                    c.g.fillRect(x + s * stripe, top + 2, stripe, 10);
                }
            }
            c.g.setColor(Color.BLACK);
            c.g.drawString(e.name, x + TEXT_GAP, top + 11);
        }
    }
}
