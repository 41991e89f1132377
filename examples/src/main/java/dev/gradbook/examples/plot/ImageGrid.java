package dev.gradbook.examples.plot;

import dev.gradbook.core.Tensor;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small images side by side in a grid, each scaled up and normalised to its own range (or a
 * fixed one): digits, generated samples, learned convolution filters.
 */
public final class ImageGrid {
    private record Image(float[] pixels, int height, int width, String caption) {
    }

    private final String title;
    private final int columns;
    private final List<Image> images = new ArrayList<>();
    private int scale = 3;
    private float low = Float.NaN;
    private float high = Float.NaN;

    public ImageGrid(String title, int columns) {
        if (columns <= 0) {
            throw new IllegalArgumentException("ImageGrid: columns must be positive, got " + columns);
        }
        this.title = title;
        this.columns = columns;
    }

    /** Adds a grey-scale image, a tensor of shape (H, W) or (1, H, W). */
    public ImageGrid add(Tensor image) {
        return add(image, "");
    }

    public ImageGrid add(Tensor image, String caption) {
        int[] s = image.shape();
        if (s.length == 3 && s[0] == 1) {
            s = new int[] {s[1], s[2]};
        }
        if (s.length != 2) {
            throw new IllegalArgumentException("ImageGrid: expects an image of shape (H, W) or (1, H, W), got "
                    + java.util.Arrays.toString(image.shape()));
        }
        images.add(new Image(image.toArray(), s[0], s[1], caption));
        return this;
    }

    /** Pixels per image pixel (default 3). */
    public ImageGrid scale(int scale) {
        this.scale = Math.max(1, scale);
        return this;
    }

    /** Maps [low, high] to black..white for every image, instead of each image's own range. */
    public ImageGrid range(float low, float high) {
        this.low = low;
        this.high = high;
        return this;
    }

    public int size() {
        return images.size();
    }

    public void save(Path file) {
        if (images.isEmpty()) {
            throw new IllegalStateException("ImageGrid: no images to save");
        }
        int cellW = images.get(0).width * scale;
        int cellH = images.get(0).height * scale;
        boolean captions = images.stream().anyMatch(i -> !i.caption.isEmpty());
        int gap = 4;
        int rows = (images.size() + columns - 1) / columns;
        int top = title == null || title.isEmpty() ? gap : 32;
        int rowH = cellH + gap + (captions ? 14 : 0);
        int gridW = columns * (cellW + gap) + gap;
        int titleW = top == gap ? 0 : Canvas.textWidth(Canvas.TITLE, title) + 20;
        int width = Math.max(Math.max(gridW, titleW), 160);
        int left = (width - gridW) / 2;                        // the grid centred under a wider title
        Canvas c = new Canvas(width, top + rows * rowH + gap);
        c.title(title);
        c.g.setFont(Canvas.SMALL);
        for (int k = 0; k < images.size(); k++) {
            Image im = images.get(k);
            int x = left + gap + (k % columns) * (cellW + gap);
            int y = top + (k / columns) * rowH;
            c.g.drawImage(render(im), x, y, im.width * scale, im.height * scale, null);
            if (captions) {
                c.g.setColor(Color.BLACK);
                c.g.drawString(im.caption, x + 2, y + cellH + 12);
            }
        }
        c.save(file);
    }

    private BufferedImage render(Image im) {
        float lo = low;
        float hi = high;
        if (Float.isNaN(lo)) {
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            for (float v : im.pixels) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        float range = hi > lo ? hi - lo : 1;
        BufferedImage out = new BufferedImage(im.width, im.height, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < im.height; r++) {
            for (int col = 0; col < im.width; col++) {
                float t = (im.pixels[r * im.width + col] - lo) / range;
                int g = Math.max(0, Math.min(255, Math.round(t * 255)));
                out.setRGB(col, r, (g << 16) | (g << 8) | g);
            }
        }
        return out;
    }
}
