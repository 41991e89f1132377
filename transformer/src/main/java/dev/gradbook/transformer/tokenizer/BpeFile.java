package dev.gradbook.transformer.tokenizer;

import dev.gradbook.nn.io.AtomicFile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a {@link BpeTokenizer} as a plain text file of merges, one per line in the
 * order learned; merge line {@code k} (counting from 0) makes token {@code 256 + k}:
 * <pre>
 * gradbook-bpe 2
 * merges 3
 * # byte-level BPE: each line merges two token ids into the next id, starting at 256
 * 32 116      # " t"
 * 104 101     # "he"
 * 256 104     # " th"
 * </pre>
 * Ids rather than strings keep the format free of escaping problems (tokens are byte strings,
 * not always valid text); the comment after {@code #} shows each new token's bytes for a
 * reader and is ignored on loading. The count on the second line, and the end of line that
 * closes every line, let a truncated file be detected. Version 1 files (the same without the
 * count line) still load, without those checks.
 *
 * <p>Loading checks everything with the file name and line number in the message: the header,
 * the count, that the text is UTF-8, that each merge refers to tokens that exist and is not
 * repeated, and the limits of {@link BpeTokenizer#MAX_MERGES} merges and
 * {@link BpeTokenizer#MAX_TOKEN_BYTES} bytes per token, checked before anything is allocated (a
 * 200-byte file whose merges each double a token would otherwise ask for gigabytes). Lines are
 * read with a bounded length, so memory follows the merges read, never the file. Saving is
 * atomic ({@link AtomicFile}): a crash never leaves half a file.
 */
public final class BpeFile {
    static final String HEADER = "gradbook-bpe 2";
    static final String HEADER_V1 = "gradbook-bpe 1";
    private static final String COUNT = "merges ";
    /** The longest line read: a merge with its comment (4 bytes per token byte at most) takes less. */
    private static final int MAX_LINE_BYTES = 32 + 4 * BpeTokenizer.MAX_TOKEN_BYTES;

    private BpeFile() {
    }

    /** Writes the merges of {@code tokenizer} to {@code file}, replacing it atomically. */
    public static void save(BpeTokenizer tokenizer, Path file) {
        List<BpeTokenizer.Merge> merges = tokenizer.merges();
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n').append(COUNT).append(merges.size()).append('\n');
        sb.append("# byte-level BPE: each line merges two token ids into the next id, starting at ")
                .append(BpeTokenizer.BYTES).append('\n');
        for (int k = 0; k < merges.size(); k++) {
            String ids = merges.get(k).left() + " " + merges.get(k).right();
            sb.append(ids).append(" ".repeat(Math.max(1, 12 - ids.length())))
                    .append("# ").append(show(tokenizer.tokenBytes(BpeTokenizer.BYTES + k))).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /**
     * Reads a file written by {@link #save}; anything malformed is an IOException naming the
     * file and the line.
     */
    public static BpeTokenizer load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return new Parser(file, in).parse();
        }
    }

    /** Reads the lines of one file, keeping count of them for error messages. */
    private static final class Parser {
        private final Path file;
        private final InputStream in;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] bytes = new byte[MAX_LINE_BYTES];
        private int lineNumber;
        private String line = "";
        /** Version 2 files end every line with '\n', so that a file cut inside its last line is detected. */
        private boolean checkEnds;

        Parser(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        BpeTokenizer parse() throws IOException {
            String header = next();
            if (header == null || !(header.strip().equals(HEADER) || header.strip().equals(HEADER_V1))) {
                throw error("does not start with '" + HEADER + "': not a Gradbook BPE merges file");
            }
            long announced = -1; // version 1 files have no count
            if (header.strip().equals(HEADER)) {
                announced = count(next());
                checkEnds = true;
            }
            List<BpeTokenizer.Merge> merges = new ArrayList<>();
            int[] length = new int[BpeTokenizer.BYTES]; // bytes of each token so far
            java.util.Arrays.fill(length, 1);
            Map<BpeTokenizer.Merge, Integer> lineOf = new HashMap<>();
            for (String text = next(); text != null; text = next()) {
                int hash = text.indexOf('#');
                String content = (hash >= 0 ? text.substring(0, hash) : text).strip();
                if (content.isEmpty()) {
                    continue;
                }
                if (merges.size() == (announced >= 0 ? announced : BpeTokenizer.MAX_MERGES)) {
                    throw error(announced >= 0 ? "holds more merges than the " + announced + " announced"
                            : "holds more than " + BpeTokenizer.MAX_MERGES + " merges, the limit (BpeTokenizer.MAX_MERGES)");
                }
                BpeTokenizer.Merge m = merge(content, BpeTokenizer.BYTES + merges.size());
                Integer earlier = lineOf.putIfAbsent(m, lineNumber);
                if (earlier != null) {
                    throw error("repeats the merge " + m.left() + " " + m.right() + " of line " + earlier);
                }
                int bytes = length[m.left()] + length[m.right()];
                if (bytes > BpeTokenizer.MAX_TOKEN_BYTES) {
                    throw error("makes a token of " + bytes + " bytes, over the limit of " + BpeTokenizer.MAX_TOKEN_BYTES
                            + " (BpeTokenizer.MAX_TOKEN_BYTES)");
                }
                if (merges.size() == length.length - BpeTokenizer.BYTES) {
                    length = java.util.Arrays.copyOf(length, 2 * length.length);
                }
                length[BpeTokenizer.BYTES + merges.size()] = bytes;
                merges.add(m);
            }
            if (announced >= 0 && merges.size() < announced) {
                throw new IOException("BpeFile.load: " + file + " ends after " + merges.size() + " of its " + announced
                        + " merges (truncated?)");
            }
            return new BpeTokenizer(merges); // checked above: cannot fail
        }

        /** The count line, "merges N". */
        private long count(String text) throws IOException {
            String digits = text == null || !text.startsWith(COUNT) ? "" : text.substring(COUNT.length()).strip();
            if (!digits.matches("0|[1-9][0-9]{0,9}") || Long.parseLong(digits) > BpeTokenizer.MAX_MERGES) {
                throw error("should be '" + COUNT + "N' with 0 <= N <= " + BpeTokenizer.MAX_MERGES + " (the merge count)");
            }
            return Long.parseLong(digits);
        }

        /** "left right", two ids of tokens that exist before token {@code id}. */
        private BpeTokenizer.Merge merge(String content, int id) throws IOException {
            String[] parts = content.split("\\s+");
            if (parts.length != 2 || !parts[0].matches("[0-9]{1,9}") || !parts[1].matches("[0-9]{1,9}")) {
                throw error("is not two token ids");
            }
            int left = Integer.parseInt(parts[0]);
            int right = Integer.parseInt(parts[1]);
            if (left >= id || right >= id) {
                throw error("refers to a token that does not exist yet (this line makes token " + id
                        + "; ids so far: 0-" + (id - 1) + ")");
            }
            return new BpeTokenizer.Merge(left, right);
        }

        /**
         * The next line without its terminator, or null at the end of the file. Lines are split
         * on the byte '\n' (which UTF-8 never uses inside a character) and then decoded, so a
         * bad byte is reported on its own line; a line longer than MAX_LINE_BYTES is an error.
         */
        private String next() throws IOException {
            lineNumber++;
            line = "";
            int n = 0;
            int b = in.read();
            if (b < 0) {
                return null;
            }
            while (b >= 0 && b != '\n') {
                if (n == MAX_LINE_BYTES) {
                    line = new String(bytes, 0, n, StandardCharsets.UTF_8);
                    throw error("is longer than " + MAX_LINE_BYTES + " bytes");
                }
                bytes[n++] = (byte) b;
                b = in.read();
            }
            boolean ended = b == '\n';
            if (n > 0 && bytes[n - 1] == '\r') {
                n--;
            }
            try {
                line = utf8.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
            } catch (CharacterCodingException e) {
                line = new String(bytes, 0, n, StandardCharsets.UTF_8);
                throw error("is not valid UTF-8");
            }
            if (checkEnds && !ended) {
                throw error("has no end of line (truncated?)");
            }
            return line;
        }

        /** A problem with the current line: the message gives the file, the line number and a short prefix of the line. */
        private IOException error(String problem) {
            String shown = line.length() > 40 ? line.substring(0, 40) + "..." : line;
            return new IOException("BpeFile.load: " + file + " line " + lineNumber + " '" + shown + "' " + problem);
        }
    }

    /** Bytes as a quoted string: printable ASCII as is, everything else as \xNN. */
    static String show(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : bytes) {
            int v = b & 0xFF;
            if (v >= 0x20 && v < 0x7F && v != '"' && v != '\\') {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02X", v));
            }
        }
        return sb.append('"').toString();
    }
}
