package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioAndVideoChapterTest {
    @Test
    void theToneHasThePitchAndTheMovieIsSmooth() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("audio-and-video");
        Result r = run.result();
        assertTrue(r.get("tone_frequency_error") < 0.01, "pitch " + r.get("tone_frequency"));
        assertTrue(r.get("tone_final_peak") > 0.5 * r.get("tone_training_peak") && r.get("tone_final_peak") < 1,
                "the tone neither dies nor saturates: " + r.get("tone_final_peak"));
        assertTrue(r.get("largest_frame_change") < 0.2 * r.get("first_to_last_change"), "frames change smoothly");
        assertEquals(1, r.get("first_frame_digit"));
        assertEquals(7, r.get("last_frame_digit"));

        Path wav = run.outDir().resolve("tone.wav");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertEquals(8_000f, in.getFormat().getSampleRate());
            assertEquals(8_000, in.getFrameLength());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(run.outDir().resolve("morph.gif").toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(24, reader.getNumImages(true));
        }
    }

    @Test
    void zeroCrossingsMeasureAKnownTone() {
        float[] x = new float[8_000];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) Math.sin(2 * Math.PI * 250.0 * t / 8_000 + 0.3);
        }
        assertEquals(250.0, Waveforms.zeroCrossingFrequency(x, 8_000), 0.5);
        assertEquals(1.0, Waveforms.peak(x, 0, 8_000), 0.01);
    }
}
