package dev.gradbook.transformer.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The merges file: every malformed, hostile or truncated file is refused with its name and line. */
class BpeFileTest {
    @TempDir
    Path dir;

    private static final String TEXT = "the theme of the thesis: then there, the three other theories thereof. ".repeat(8);

    private String refusal(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> BpeFile.load(file));
        assertTrue(e.getMessage().startsWith("BpeFile.load: " + file + " "), e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        return e.getMessage();
    }

    private String refusal(Path file, String text) throws IOException {
        return refusal(file, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mergesThatDoubleATokenAreRefusedNotAnOutOfMemoryError() throws IOException {
        // the 235-byte file of the issue: each merge joins the previous token with itself
        StringBuilder sb = new StringBuilder(BpeFile.HEADER_V1).append("\n97 97\n");
        for (int id = 256; id < 256 + 26; id++) {
            sb.append(id).append(' ').append(id).append('\n');
        }
        assertEquals(229, sb.length(), "about the size of the issue's file");
        Path file = dir.resolve("doubling.txt");
        // token 256 + k has 2^(k+1) bytes: 1024 at k = 9, on line 11; the next one is refused
        assertTrue(refusal(file, sb.toString()).endsWith(" line 12 '265 265' makes a token of 2048 bytes, over the "
                + "limit of 1024 (BpeTokenizer.MAX_TOKEN_BYTES)"));

        // the same merges given to the constructor (as a model file's tokenizer metadata does)
        List<BpeTokenizer.Merge> merges = new ArrayList<>(List.of(new BpeTokenizer.Merge(97, 97)));
        for (int id = 256; id < 256 + 26; id++) {
            merges.add(new BpeTokenizer.Merge(id, id));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new BpeTokenizer(merges));
        assertTrue(e.getMessage().contains("merge 10 (265, 265) makes a token of 2048 bytes"), e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLine() throws IOException {
        byte[] text = (BpeFile.HEADER + "\nmerges 2\n97 98   # \"ab\"\n98 99   # \"bc\"\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bad = Arrays.copyOf(text, text.length);
        int at = new String(text, StandardCharsets.US_ASCII).lastIndexOf("bc");
        bad[at] = (byte) 0xFF;
        String message = refusal(dir.resolve("latin1.txt"), bad);
        assertTrue(message.contains(" line 4 ") && message.endsWith("is not valid UTF-8"), message);
    }

    @Test
    void aTruncatedFileIsDetected() throws IOException {
        BpeTokenizer bpe = BpeTokenizer.train(TEXT, 280);
        Path file = dir.resolve("merges.txt");
        bpe.save(file);
        List<String> lines = Files.readAllLines(file);
        int merges = bpe.merges().size();
        assertEquals("merges " + merges, lines.get(1));
        String cut = String.join("\n", lines.subList(0, lines.size() - 3)) + "\n";
        assertTrue(refusal(file, cut).endsWith(" ends after " + (merges - 3) + " of its " + merges + " merges (truncated?)"));
    }

    @Test
    void everyProperPrefixOfAFileIsRefusedWithTheFileName() throws IOException {
        BpeTokenizer bpe = BpeTokenizer.train(TEXT, 262);
        Path file = dir.resolve("merges.txt");
        bpe.save(file);
        byte[] full = Files.readAllBytes(file);
        Path prefix = dir.resolve("prefix.txt");
        for (int n = 0; n < full.length; n++) {
            // without the end-of-line check, a cut "115 264" -> "115 2" would load a different merge
            refusal(prefix, Arrays.copyOf(full, n));
        }
        assertEquals(bpe.merges(), BpeFile.load(file).merges());
    }

    @Test
    void countAndMergesMustAgree() throws IOException {
        Path file = dir.resolve("count.txt");
        assertTrue(refusal(file, BpeFile.HEADER + "\nmerges 1\n97 98\n98 99\n").endsWith(
                " line 4 '98 99' holds more merges than the 1 announced"));
        assertTrue(refusal(file, BpeFile.HEADER + "\n97 98\n").contains(" line 2 '97 98' should be 'merges N'"));
        assertTrue(refusal(file, BpeFile.HEADER + "\nmerges 99999999999\n").contains("should be 'merges N'"));
        assertTrue(refusal(file, BpeFile.HEADER + "\nmerges -1\n").contains("should be 'merges N'"));
    }

    @Test
    void eachMalformedLineIsNamed() throws IOException {
        Path file = dir.resolve("bad.txt");
        String head = BpeFile.HEADER + "\nmerges 3\n97 98\n";
        assertTrue(refusal(file, head + "97 98\n0 1\n").endsWith(" line 4 '97 98' repeats the merge 97 98 of line 3"));
        assertTrue(refusal(file, head + "97 257\n0 1\n").contains(" line 4 '97 257' refers to a token that does not "
                + "exist yet (this line makes token 257; ids so far: 0-256)"));
        assertTrue(refusal(file, head + "97 -1\n").contains(" line 4 '97 -1' is not two token ids"));
        assertTrue(refusal(file, head + "97 99999999999999999999\n").contains(" line 4 "));
        assertTrue(refusal(file, head + "9".repeat(1_000_000) + "\n").endsWith("is longer than 4128 bytes"));
        assertTrue(refusal(file, "").contains(" line 1 '' does not start with 'gradbook-bpe 2'"));
    }

    @Test
    void version1FilesWithoutACountStillLoad() throws IOException {
        Path file = dir.resolve("v1.txt");
        Files.writeString(file, BpeFile.HEADER_V1 + "\r\n# a comment\r\n104 101   # \"he\"\r\n\r\n256 108\r\n");
        assertEquals(List.of(new BpeTokenizer.Merge(104, 101), new BpeTokenizer.Merge(256, 108)),
                BpeFile.load(file).merges());
    }
}
