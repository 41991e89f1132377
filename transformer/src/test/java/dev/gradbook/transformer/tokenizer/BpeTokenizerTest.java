package dev.gradbook.transformer.tokenizer;

import dev.gradbook.core.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTokenizerTest {
    private static final int A = 'a', B = 'b', C = 'c', D = 'd';

    private static String sonnets() throws IOException {
        return Files.readString(Path.of("../data/text/shakespeare_sonnets.txt"), StandardCharsets.UTF_8);
    }

    private static BpeTokenizer.Merge merge(int left, int right) {
        return new BpeTokenizer.Merge(left, right);
    }

    @Test
    void mergesOnASmallCorpusAreTheHandDerivedOnes() {
        // "aaabdaaabac" is one chunk. Pair counts: aa 4 (overlapping), ab 2, bd da ba ac 1.
        //  1. (a,a) -> 256:  Z a b d Z a b a c   counts: Za 2, ab 2, others 1; tie -> smaller ids (97,98)
        //  2. (a,b) -> 257:  Z Y d Z Y a c       counts: ZY 2, others 1
        //  3. (256,257) -> 258 = "aaab":  X d X a c   all 1: the smallest pair is (a,c) = (97,99)
        //  4. (a,c) -> 259
        BpeTokenizer bpe = BpeTokenizer.train("aaabdaaabac", 260);
        assertEquals(List.of(merge(A, A), merge(A, B), merge(256, 257), merge(A, C)), bpe.merges());
        assertEquals(260, bpe.vocabSize());
        assertArrayEquals(new int[] {258, D, 258, 259}, bpe.encode("aaabdaaabac"));
        assertEquals("aaab", new String(bpe.tokenBytes(258), StandardCharsets.US_ASCII));
    }

    @Test
    void incrementalCountsGiveTheSameMergesAsRecountingEverything() throws IOException {
        String text = sonnets().substring(0, 30_000);
        List<BpeTokenizer.Merge> expected = naiveMerges(text, 356);
        assertEquals(expected, BpeTokenizer.train(text, 356).merges());
    }

    /** The textbook algorithm: recount every pair of every chunk occurrence before each merge. */
    private static List<BpeTokenizer.Merge> naiveMerges(String text, int vocabSize) {
        Map<String, Integer> chunkCounts = new HashMap<>();
        for (String chunk : PreTokenizer.split(text)) {
            chunkCounts.merge(chunk, 1, Integer::sum);
        }
        List<int[]> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        chunkCounts.forEach((chunk, count) -> {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[bytes.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = bytes[i] & 0xFF;
            }
            words.add(ids);
            counts.add(count);
        });
        List<BpeTokenizer.Merge> merges = new ArrayList<>();
        for (int id = 256; id < vocabSize; id++) {
            Map<List<Integer>, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] ids = words.get(w);
                for (int i = 0; i + 1 < ids.length; i++) {
                    pairs.merge(List.of(ids[i], ids[i + 1]), (long) counts.get(w), Long::sum);
                }
            }
            List<Integer> best = null;
            for (Map.Entry<List<Integer>, Long> e : pairs.entrySet()) {
                List<Integer> p = e.getKey();
                long bestCount = best == null ? 0 : pairs.get(best);
                boolean smaller = best != null && (p.get(0) < best.get(0)
                        || (p.get(0).equals(best.get(0)) && p.get(1) < best.get(1)));
                if (e.getValue() > bestCount || (e.getValue() == bestCount && smaller)) {
                    best = p;
                }
            }
            merges.add(merge(best.get(0), best.get(1)));
            for (int w = 0; w < words.size(); w++) {
                int[] ids = words.get(w);
                int[] out = new int[ids.length];
                int n = 0;
                for (int i = 0; i < ids.length; i++) {
                    if (i + 1 < ids.length && ids[i] == best.get(0) && ids[i + 1] == best.get(1)) {
                        out[n++] = id;
                        i++;
                    } else {
                        out[n++] = ids[i];
                    }
                }
                words.set(w, Arrays.copyOf(out, n));
            }
        }
        return merges;
    }

    @Test
    void mergesNeverCrossChunkBoundaries() {
        // chunks: "a" "." "b" " a" "." "b": the only pair inside a chunk is (' ', 'a'), so
        // training stops after one merge although 300 tokens were asked for
        BpeTokenizer bpe = BpeTokenizer.train("a.b a.b", 300);
        assertEquals(List.of(merge(' ', A)), bpe.merges());
        assertEquals(257, bpe.vocabSize());
    }

    @Test
    void encodeAppliesMergesInTheOrderLearned() {
        // (b,c) was learned before (a,b), so "abc" becomes a + bc although ab comes first in the text
        BpeTokenizer bpe = new BpeTokenizer(List.of(merge(B, C), merge(A, B)));
        assertArrayEquals(new int[] {A, 256}, bpe.encode("abc"));
        assertArrayEquals(new int[] {257, 257}, bpe.encode("abab"));
    }

    @Test
    void everyStringRoundTrips() throws IOException {
        BpeTokenizer bpe = BpeTokenizer.train(sonnets(), 400);
        String[] samples = {
            "", " ", "Shall I compare thee to a summer's day?",
            "caf\u00E9 vs cafe\u0301, na\u00EFve \u00C5ngstr\u00F6m",           // precomposed and combining accents
            "\u6771\u4EAC\u90FD\u3067\u3059\u3002 \uD55C\uAD6D\uC5B4 \u0627\u0644\u0639\u0631\u0628\u064A\u0629",
            "\uD83D\uDE00\uD83D\uDE00 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66 \uD83C\uDDEB\uD83C\uDDF7",
            "\uD83D\uDC4D\uD83C\uDFFD thumbs, \u2764\uFE0F, \uD834\uDD1E clef",
            "\u0000\u0001\t\r\n\u007F\u00A0\u2028\uFEFF\uFFFD",
        };
        for (String s : samples) {
            assertEquals(s, bpe.decode(bpe.encode(s)));
        }
        Rng rng = new Rng(7);
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder sb = new StringBuilder();
            int length = rng.nextInt(20);
            for (int i = 0; i < length; i++) {
                int cp = switch (rng.nextInt(3)) {
                    case 0 -> rng.nextInt(0x80);                       // ASCII, controls included
                    case 1 -> rng.nextInt(0xD800);                     // the rest of the BMP below the surrogates
                    default -> 0xE000 + rng.nextInt(0x10FFFF - 0xE000 + 1); // above them, astral planes included
                };
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            int[] ids = bpe.encode(s);
            assertEquals(s, bpe.decode(ids), "trial " + trial);
            for (int id : ids) {
                assertTrue(id >= 0 && id < bpe.vocabSize());
            }
        }
    }

    @Test
    void unpairedSurrogateIsRejected() {
        BpeTokenizer bpe = new BpeTokenizer(List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bpe.encode("ab\uD83D"));
        assertTrue(e.getMessage().contains("U+D83D") && e.getMessage().contains("index 2"), e.getMessage());
    }

    @Test
    void withoutMergesTokensAreTheUtf8Bytes() {
        BpeTokenizer bpe = new BpeTokenizer(List.of());
        assertArrayEquals(new int[] {0x68, 0xC3, 0xA9}, bpe.encode("h\u00E9"));
        assertEquals(1.0, bpe.compression("h\u00E9llo").bytesPerToken());
    }

    @Test
    void vocabSizeIsReachedAndCompressionImproves() throws IOException {
        String text = sonnets();
        BpeTokenizer bpe = BpeTokenizer.train(text, 512);
        assertEquals(512, bpe.vocabSize());
        BpeTokenizer.Compression c = bpe.compression(text);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, c.bytes());
        assertTrue(c.bytesPerToken() > 2.0, c.toString()); // measured: 2.16
    }

    @Test
    void trainsAThousandTokensOnAMegabyteInSeconds() throws IOException {
        String text = Files.readString(Path.of("../data/text/tinyshakespeare.txt"), StandardCharsets.UTF_8);
        long start = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(text, 1000);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        BpeTokenizer.Compression c = bpe.compression(text);
        double encodeSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BPE 1000 on tinyshakespeare: train %.2f s, encode %.2f s, %s%n", trainSeconds, encodeSeconds, c);
        assertEquals(1000, bpe.vocabSize());
        assertTrue(trainSeconds < 20, "training took " + trainSeconds + " s");
        assertTrue(c.bytesPerToken() > 2.2, c.toString()); // measured: 2.39
    }

    @Test
    void saveAndLoadGiveIdenticalEncodings(@TempDir Path dir) throws IOException {
        String text = sonnets();
        BpeTokenizer bpe = BpeTokenizer.train(text.substring(0, 20_000), 300);
        Path file = dir.resolve("merges.txt");
        bpe.save(file);
        bpe.save(file); // overwriting works and leaves no temporary file behind
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(BpeFile.HEADER, lines.get(0));
        assertEquals("merges 44", lines.get(1));
        assertEquals(3 + 44, lines.size());
        BpeTokenizer.Merge first = bpe.merges().get(0);
        assertTrue(lines.get(3).startsWith(first.left() + " " + first.right() + " "), lines.get(2));

        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertEquals(bpe.merges(), loaded.merges());
        assertArrayEquals(bpe.encode(text), loaded.encode(text));
    }

    @Test
    void malformedFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "not a merges file\n");
        assertThrows(IOException.class, () -> BpeTokenizer.load(file));
        Files.writeString(file, BpeFile.HEADER_V1 + "\n97 98\n97 x\n");
        IOException e = assertThrows(IOException.class, () -> BpeTokenizer.load(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(file, BpeFile.HEADER_V1 + "\n97 300\n");
        e = assertThrows(IOException.class, () -> BpeTokenizer.load(file));
        assertTrue(e.getMessage().contains("does not exist yet"), e.getMessage());
    }
}
