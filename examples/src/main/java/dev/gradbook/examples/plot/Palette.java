package dev.gradbook.examples.plot;

import java.awt.Color;

/** Colours: ten distinct ones for series and classes (the "tab10" set), and a blue-to-red scale for heat maps. */
public final class Palette {
    private Palette() {
    }

    private static final int[] CATEGORICAL = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf
    };

    /** The colour of series or class {@code i} (cycling after ten). */
    public static Color category(int i) {
        return new Color(CATEGORICAL[Math.floorMod(i, CATEGORICAL.length)]);
    }

    /** A lighter version of a class colour, for shaded regions behind points. */
    public static Color light(int i) {
        Color c = category(i);
        return new Color((c.getRed() + 3 * 255) / 4, (c.getGreen() + 3 * 255) / 4, (c.getBlue() + 3 * 255) / 4);
    }

    /** {@code t} in [0, 1] to a colour from white-blue (0) through yellow to dark red (1). */
    public static Color heat(double t) {
        double x = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        float[][] stops = {{0.97f, 0.98f, 1f}, {0.42f, 0.68f, 0.84f}, {1f, 0.85f, 0.35f}, {0.70f, 0.09f, 0.17f}};
        double pos = x * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) pos);
        double f = pos - i;
        return new Color(
                (float) (stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
                (float) (stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
                (float) (stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
    }
}
