package dev.gradbook.examples.generative;

import dev.gradbook.core.Tensor;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/** Writing sound and frames with the JDK alone, and measuring a waveform. */
final class Waveforms {
    private Waveforms() {
    }

    /** Upward zero crossings per second: the frequency of a periodic signal whose period crosses zero upwards once. */
    static double zeroCrossingFrequency(float[] x, int rate) {
        int first = -1;
        int last = -1;
        int count = 0;
        for (int t = 1; t < x.length; t++) {
            if (x[t - 1] < 0 && x[t] >= 0) {
                if (first < 0) {
                    first = t;
                } else {
                    count++;
                }
                last = t;
            }
        }
        return count == 0 ? 0 : (double) count * rate / (last - first);
    }

    /** The largest |x| in {@code [from, to)}. */
    static double peak(float[] x, int from, int to) {
        double p = 0;
        for (int t = from; t < to; t++) {
            p = Math.max(p, Math.abs(x[t]));
        }
        return p;
    }

    /** 16-bit signed little-endian mono PCM, samples in [-1, 1]. */
    static void writeWav(Path file, float[] x, int rate) throws IOException {
        byte[] pcm = new byte[2 * x.length];
        for (int t = 0; t < x.length; t++) {
            int v = (int) Math.round(Math.max(-1, Math.min(1, x[t])) * 32767);
            pcm[2 * t] = (byte) v;
            pcm[2 * t + 1] = (byte) (v >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, x.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    /** An animated, looping GIF of grey frames {@code (F, side * side)} in [0, 1], each enlarged {@code scale} times. */
    static void writeGif(Path file, Tensor frames, int side, int scale, int delayMs) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int f = 0; f < frames.size(0); f++) {
                BufferedImage image = new BufferedImage(side * scale, side * scale, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < side * scale; y++) {
                    for (int x = 0; x < side * scale; x++) {
                        int g = (int) Math.round(255 * Math.max(0, Math.min(1, frames.get(f, (y / scale) * side + x / scale))));
                        image.getRaster().setSample(x, y, 0, g);
                    }
                }
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
                String format = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", Integer.toString(delayMs / 10)); // hundredths of a second
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                if (f == 0) {
                    IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0}); // loop forever
                    apps.appendChild(loop);
                    root.appendChild(apps);
                }
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(image, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }
}
