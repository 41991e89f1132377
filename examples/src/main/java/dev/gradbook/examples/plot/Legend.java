package dev.gradbook.examples.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart's key: a translucent white box over a corner of the plot area with one row per
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

    /** Where the box goes, in the order ties are broken. */
    enum Corner {
        TOP_RIGHT, TOP_LEFT, BOTTOM_RIGHT, BOTTOM_LEFT
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

    /**
     * In the corner of the plot area that hides the least data: draw the data first, then this
     * counts, for each of the four corners, the pixels under the box that the data has inked
     * (coloured or dark, unlike the white ground and the light grid), and takes the emptiest.
     * Ties go to the top right, then top left, bottom right, bottom left. Returns the corner
     * chosen (null when there are no entries).
     */
    Corner drawInEmptiestCorner(Canvas c, Axes axes) {
        if (entries.isEmpty()) {
            return null;
        }
        int w = boxWidth(maxNameWidth(c));
        int h = entries.size() * ROW + 6;
        int left = axes.x0 + 12;
        int right = axes.x0 + axes.width - w;
        int top = axes.y0 + 10;
        int bottom = axes.y0 + axes.height - h;
        int[][] corners = {{right, top}, {left, top}, {right, bottom}, {left, bottom}};
        int best = 0;
        long fewest = Long.MAX_VALUE;
        for (int k = 0; k < corners.length; k++) {
            long ink = ink(c, corners[k][0] - 6, corners[k][1] - 4, w, h);
            if (ink < fewest) {
                fewest = ink;
                best = k;
            }
        }
        draw(c, corners[best][0], corners[best][1]);
        return Corner.values()[best];
    }

    /** Pixels of the rectangle that the data has drawn on: saturated or darker than the grid. */
    private static long ink(Canvas c, int x, int y, int w, int h) {
        long count = 0;
        for (int py = Math.max(0, y); py < Math.min(c.image.getHeight(), y + h); py++) {
            for (int px = Math.max(0, x); px < Math.min(c.image.getWidth(), x + w); px++) {
                int rgb = c.image.getRGB(px, py);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                if (max - min > 30 || max < 200) {
                    count++;
                }
            }
        }
        return count;
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
