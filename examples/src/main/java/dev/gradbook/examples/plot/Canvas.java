package dev.gradbook.examples.plot;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A white picture with anti-aliased drawing, a title, and PNG output: what every chart draws on.
 */
final class Canvas {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setStroke(new BasicStroke(1f));
    }

    void title(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        // a title wider than the picture is set smaller until it fits, never cut off
        Font font = TITLE;
        while (font.getSize() > 8 && g.getFontMetrics(font).stringWidth(text) > image.getWidth() - 8) {
            font = font.deriveFont(font.getSize2D() - 1);
        }
        g.setFont(font);
        g.setColor(Color.BLACK);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, Math.max(4, (image.getWidth() - w) / 2), 22);
    }

    /** The width in pixels of {@code text} in {@code font}: for sizing a picture before drawing on it. */
    static int textWidth(Font font, String text) {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int w = scratch.getFontMetrics(font).stringWidth(text);
        scratch.dispose();
        return w;
    }

    /** Writes the picture as PNG, creating the folder if needed. */
    void save(Path file) {
        g.dispose();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write picture " + file, e);
        }
    }
}
