package dev.gradbook.examples.plot;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pictures are checked for their size and for not being blank, never pixel by pixel. */
public class PlotTest {
    private static final Path DIR = Path.of("target", "plot-test");

    /** The number of distinct colours: a blank picture has one. */
    public static int distinctColours(Path png) throws Exception {
        BufferedImage im = ImageIO.read(png.toFile());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < im.getHeight(); y += 2) {
            for (int x = 0; x < im.getWidth(); x += 2) {
                colours.add(im.getRGB(x, y));
            }
        }
        return colours.size();
    }

    static BufferedImage read(Path png) throws Exception {
        return ImageIO.read(png.toFile());
    }

    @Test
    void lineChartWithTwoSeries() throws Exception {
        Path f = DIR.resolve("line.png");
        new LineChart("loss", "step", "loss")
                .series("train", List.of(3.0, 2.0, 1.5, 1.2, 1.0))
                .series("val", List.of(3.1, 2.2, 1.8, 1.7, 1.7))
                .logY(true).save(f);
        BufferedImage im = read(f);
        assertEquals(800, im.getWidth());
        assertEquals(500, im.getHeight());
        assertTrue(distinctColours(f) > 10);
    }

    @Test
    void scatterWithDecisionRegions() throws Exception {
        Path f = DIR.resolve("scatter.png");
        new ScatterPlot("moons", "x", "y")
                .points(new double[] {0, 1, 2}, new double[] {0, 1, 0}, new int[] {0, 1, 0})
                .regions((x, y) -> x > 1 ? 1 : 0).classNames(List.of("a", "b")).save(f);
        assertEquals(700, read(f).getWidth());
        assertTrue(distinctColours(f) > 5);
    }

    @Test
    void heatMapAndImageGrid() throws Exception {
        Path h = DIR.resolve("heat.png");
        HeatMap.of("confusion", new int[][] {{5, 1}, {0, 7}}).labels(List.of("a", "b"), List.of("a", "b")).save(h);
        assertTrue(distinctColours(h) > 3);
        Path g = DIR.resolve("grid.png");
        ImageGrid grid = new ImageGrid("noise", 4);
        Rng rng = new Rng(1);
        for (int i = 0; i < 6; i++) {
            grid.add(Tensor.rand(rng, 8, 8));
        }
        grid.scale(6).save(g);
        BufferedImage im = read(g);
        assertEquals(4 * (8 * 6 + 4) + 4, im.getWidth(), "four columns of 48-pixel images with 4-pixel gaps");
        assertTrue(distinctColours(g) > 20);
    }

    @Test
    void groupedBarChart() throws Exception {
        Path f = DIR.resolve("bars.png");
        new BarChart("survival", "class", "rate").categories(List.of("1st", "2nd", "3rd"))
                .series("female", new double[] {0.97, 0.89, 0.49})
                .series("male", new double[] {0.34, 0.15, 0.15}).save(f);
        assertEquals(760, read(f).getWidth());
        assertTrue(distinctColours(f) > 10);
        assertThrows(IllegalArgumentException.class, () -> new BarChart("t", "x", "y")
                .categories(List.of("a", "b")).series("s", new double[] {1}));
    }

    @Test
    void histogramCountsAndDensity() throws Exception {
        // bins [0, 1), [1, 2), [2, 3]: the top edge belongs to the last bin; values outside are dropped
        assertEquals(List.of(2, 1, 2), java.util.Arrays.stream(Histogram.counts(
                new double[] {0, 0.5, 1.5, 2.5, 3, 7}, 0, 3, 3)).boxed().toList());
        Path f = DIR.resolve("histogram.png");
        double[] sample = new double[500];
        Rng rng = new Rng(3);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = rng.nextGaussian();
        }
        new Histogram("normal", "x").sample("draws", sample).bins(20)
                .density("N(0, 1)", x -> Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)).save(f);
        assertTrue(distinctColours(f) > 10);
    }

    @Test
    void planePlotWithFieldCurvesAndArrows() throws Exception {
        Path f = DIR.resolve("plane.png");
        new PlanePlot("bowl", "x", "y").range(-1, 1, -1, 1).field("x^2 + y^2", (x, y) -> x * x + y * y, false, 8)
                .curve("path", new double[] {-0.8, -0.3, 0}, new double[] {0.9, 0.2, 0}, Palette.category(0))
                .shape("square", new double[] {0, 0.5, 0.5, 0}, new double[] {0, 0, 0.5, 0.5}, Palette.category(1))
                .arrow(0, 0, 0.7, 0.2, java.awt.Color.BLACK, "v").point(0, 0, Palette.category(2), "minimum").save(f);
        assertEquals(640, read(f).getWidth());
        assertTrue(distinctColours(f) > 20);
        assertThrows(IllegalArgumentException.class, () -> new PlanePlot("t", "x", "y").range(1, 0, 0, 1));
    }

    /** A falling loss curve leaves the top right free; a rising accuracy curve the top left. */
    @Test
    void theLegendGoesToTheEmptiestCorner() {
        for (boolean rising : new boolean[] {false, true}) {
            Canvas c = new Canvas(400, 300);
            Axes axes = new Axes(400, 300, Axes.RIGHT, 0, 10, 0, 1, false);
            c.g.setColor(Palette.category(0));
            c.g.setStroke(new java.awt.BasicStroke(6f));
            c.g.drawLine(axes.px(0), axes.py(rising ? 0 : 1), axes.px(10), axes.py(rising ? 1 : 0));
            Legend legend = new Legend().add("train", Legend.Mark.LINE, Palette.category(0))
                    .add("validation", Legend.Mark.LINE, Palette.category(1));
            assertEquals(rising ? Legend.Corner.TOP_LEFT : Legend.Corner.TOP_RIGHT, legend.drawInEmptiestCorner(c, axes));
        }
        Canvas full = new Canvas(400, 300);
        Axes axes = new Axes(400, 300, Axes.RIGHT, 0, 10, 0, 1, false);
        full.g.setColor(Palette.category(2));
        full.g.fillRect(axes.x0, axes.y0, axes.width, axes.height / 2);              // the whole top half inked
        assertEquals(Legend.Corner.BOTTOM_RIGHT,
                new Legend().add("a", Legend.Mark.BOX, Palette.category(2)).drawInEmptiestCorner(full, axes));
    }

    /** cnn/filters.png had its title cut off: a grid narrower than its title is widened. */
    @Test
    void aLongTitleIsNeverClipped() throws Exception {
        Path f = DIR.resolve("title.png");
        String title = "First-layer filters after training (8 of 5 x 5), scaled per filter";
        new ImageGrid(title, 2).add(Tensor.zeros(5, 5), "").add(Tensor.ones(5, 5), "").scale(4).save(f);
        assertTrue(read(f).getWidth() >= Canvas.textWidth(Canvas.TITLE, title) + 8, "width " + read(f).getWidth());
    }

    @Test
    void badInputsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y")
                .series("s", new double[] {1, 2}, new double[] {1}));
        Exception e = assertThrows(IllegalArgumentException.class, () -> new ImageGrid("t", 2)
                .add(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("[2, 3, 4]"));
    }

    @Test
    void ticksAreRound() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), Axes.ticks(0, 1));
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), Axes.ticks(0, 100));
        assertEquals(List.of(-2.0, -1.0, 0.0, 1.0), Axes.ticks(-2.3, 1.4));
    }

    @Test
    void logTicksAreOneTwoFiveTimesPowersOfTen() {
        List<Double> t = Axes.logTicks(Math.log10(256), Math.log10(8192));
        double[] want = {500, 1000, 2000, 5000};
        assertEquals(want.length, t.size(), t.toString());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], Math.pow(10, t.get(i)), 1e-6);
        }
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), Axes.logTicks(0, 5));
    }

    @Test
    void logLogLineChart() throws Exception {
        Path f = DIR.resolve("loglog.png");
        new LineChart("cost", "n", "ms").logX(true).logY(true)
                .series("n^2", new double[] {256, 512, 1024}, new double[] {1, 4, 16})
                .series("n", new double[] {0, 256, 512, 1024}, new double[] {0, 1, 2, 4})
                .save(f);
        assertTrue(distinctColours(f) > 10);
    }
}
