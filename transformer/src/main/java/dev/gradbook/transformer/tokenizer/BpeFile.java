package dev.gradbook.transformer.tokenizer;

import dev.gradbook.nn.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves and loads a {@link BpeTokenizer} as a plain text file of merges, one per line in the
 * order learned; line {@code k} (not counting the header) makes token {@code 256 + k}:
 * <pre>
 * gradbook-bpe 1
 * # byte-level BPE: each line merges two token ids into the next id, starting at 256
 * 32 116      # " t"
 * 104 101     # "he"
 * 256 104     # " th"
 * </pre>
 * Ids rather than strings keep the format free of escaping problems (tokens are byte strings,
 * not always valid text); the comment after {@code #} shows each new token's bytes for a
 * reader and is ignored on loading. Saving is atomic ({@link AtomicFile}): a crash never leaves
 * half a file.
 */
public final class BpeFile {
    static final String HEADER = "gradbook-bpe 1";

    private BpeFile() {
    }

    /** Writes the merges of {@code tokenizer} to {@code file}, replacing it atomically. */
    public static void save(BpeTokenizer tokenizer, Path file) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n');
        sb.append("# byte-level BPE: each line merges two token ids into the next id, starting at ")
                .append(BpeTokenizer.BYTES).append('\n');
        List<BpeTokenizer.Merge> merges = tokenizer.merges();
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

    /** Reads a file written by {@link #save}; a malformed line is an error naming the file and line. */
    public static BpeTokenizer load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IOException("BpeFile.load: " + file + " does not start with '" + HEADER
                    + "': not a Gradbook BPE merges file");
        }
        List<BpeTokenizer.Merge> merges = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] parts = content.split("\\s+");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException("expected two token ids");
                }
                merges.add(new BpeTokenizer.Merge(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            } catch (NumberFormatException e) {
                throw new IOException("BpeFile.load: " + file + " line " + (i + 1) + " '" + line
                        + "' is not two token ids (" + e.getMessage() + ")");
            }
        }
        try {
            return new BpeTokenizer(merges);
        } catch (IllegalArgumentException e) {
            throw new IOException("BpeFile.load: " + file + ": " + e.getMessage(), e);
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
