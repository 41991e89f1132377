package dev.gradbook.nn.io;

import dev.gradbook.core.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Saves and loads named tensors in the safetensors format (Hugging Face,
 * https://huggingface.co/docs/safetensors), which PyTorch tooling reads and writes:
 * <pre>
 *     8 bytes   N, the header length: an unsigned 64-bit little-endian integer
 *     N bytes   the header: UTF-8 JSON (see {@link SafetensorsHeader}), padded with spaces
 *     the rest  the data section: every tensor's elements, little-endian, row-major
 * </pre>
 * Gradbook writes float32 ({@code F32}) and reads F32, F16 and BF16, converting to float32.
 *
 * <p>Loading a file from elsewhere must be safe: the length, header and byte ranges are all
 * checked against the file's actual size before anything is allocated or read, so a corrupt or
 * hostile file gets an IllegalArgumentException that names the file and the problem (quoting at
 * most a short prefix of the offending text), never an OutOfMemoryError. The memory a load needs
 * is bounded by the tensors' data plus a small multiple of {@link #MAX_HEADER_BYTES}: the header
 * is limited in length and in its number of entries ({@link #MAX_ENTRIES}), its JSON is read one
 * entry at a time, and tensor data is read in chunks straight into the arrays it fills. Saving is atomic (see {@link AtomicFile}): a failed save leaves the previous
 * file as it was.
 *
 * <pre>{@code
 * Safetensors.save(Path.of("model.safetensors"), model.stateDict(), Map.of("epoch", "3"));
 * Safetensors.Contents saved = Safetensors.load(Path.of("model.safetensors"));
 * model.loadStateDict(saved.tensors());
 * }</pre>
 */
public final class Safetensors {
    /**
     * The longest header Gradbook reads: 16 MiB. The reference implementation allows 100 MB, but
     * decoding and parsing a header needs a few times its size in heap, and real headers are far
     * shorter (GPT-2's is 15 kB; a model of a thousand tensors needs about 100 kB).
     */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    /** The most tensors plus metadata keys one file may hold (real models have a few thousand). */
    public static final int MAX_ENTRIES = 100_000;
    private static final int CHUNK_FLOATS = 1 << 16;

    private Safetensors() {
    }

    /** What a file holds: tensors in file order, and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ------------------------------------------------------------------ saving

    /** Saves {@code tensors} as F32, atomically replacing {@code file}. */
    public static void save(Path file, Map<String, Tensor> tensors) {
        save(file, tensors, Map.of());
    }

    /**
     * Saves {@code tensors} as F32 with string {@code metadata}, atomically replacing
     * {@code file}. The same content always gives the same bytes: tensors and metadata keys are
     * written in the order of their map if it has one (a {@code LinkedHashMap}, such as a state
     * dict, or a {@code SortedMap}), and sorted by name otherwise ({@code Map.of}, {@code HashMap}).
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        // lay out the data section: each tensor right after the previous one
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : inFixedOrder(tensors)) {
            if (e.getKey() == null || e.getKey().equals(SafetensorsHeader.METADATA) || e.getValue() == null) {
                throw new IllegalArgumentException("Safetensors.save " + file + ": invalid entry '" + e.getKey()
                        + "' (the name is reserved or the tensor is null)");
            }
            long end = offset + 4L * e.getValue().numel();
            entries.add(new SafetensorsHeader.Entry(e.getKey(), Dtype.F32, e.getValue().shape(), offset, end));
            values.add(e.getValue());
            offset = end;
        }
        Map<String, String> orderedMetadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : inFixedOrder(metadata)) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("Safetensors.save " + file + ": metadata '" + e.getKey() + "' -> '"
                        + e.getValue() + "' (metadata keys and values must not be null)");
            }
            orderedMetadata.put(e.getKey(), e.getValue());
        }
        byte[] header = new SafetensorsHeader(entries, orderedMetadata).encode();
        AtomicFile.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : values) {
                float[] data = t.data();
                for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                    int count = Math.min(CHUNK_FLOATS, data.length - from);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, from, count);
                    chunk.limit(4 * count);
                    writeFully(channel, chunk);
                }
            }
        });
    }

    /** The entries of {@code map} in its own order if it has one, else sorted by key (nulls first, to be refused). */
    static <V> List<Map.Entry<String, V>> inFixedOrder(Map<String, V> map) {
        List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
        if (!(map instanceof LinkedHashMap) && !(map instanceof SortedMap)) {
            entries.sort(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())));
        }
        return entries;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    // ------------------------------------------------------------------ loading

    /** Loads every tensor (as float32) and the metadata of {@code file}, after validating it. */
    public static Contents load(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw corrupt(file, "the file has " + size + " bytes, fewer than the 8 of the header length");
            }
            long headerLength = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
            // as an unsigned number, a negative long is beyond 2^63: certainly too long
            if (headerLength < 0 || headerLength > size - 8) {
                throw corrupt(file, "the header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the file size " + size);
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw corrupt(file, "the header length " + headerLength + " is over the limit of " + MAX_HEADER_BYTES
                        + " bytes (Safetensors.MAX_HEADER_BYTES)");
            }
            long dataStart = 8 + headerLength;
            SafetensorsHeader header;
            try {
                String json = utf8(readFully(channel, 8, (int) headerLength, file));
                header = SafetensorsHeader.parse(json, size - dataStart, MAX_ENTRIES);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, e.getMessage());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries) {
                ByteBuffer bytes = readFully(channel, dataStart + e.begin(), (int) (e.end() - e.begin()), file);
                float[] values = new float[e.numel()];
                e.dtype().decode(bytes.order(ByteOrder.LITTLE_ENDIAN), values);
                tensors.put(e.name(), Tensor.wrap(values, e.shape()));
            }
            return new Contents(tensors, header.metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Only the tensors of {@code file}. */
    public static Map<String, Tensor> loadTensors(Path file) {
        return load(file).tensors();
    }

    /** {@code length} bytes at {@code position}; the caller has checked that the file holds them. */
    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new java.io.EOFException(file + " ended early (did it change while being read?)");
            }
        }
        return buffer.flip();
    }

    private static String utf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the header is not valid UTF-8");
        }
    }

    private static IllegalArgumentException corrupt(Path file, String problem) {
        return new IllegalArgumentException("safetensors file " + file + ": " + problem);
    }
}
