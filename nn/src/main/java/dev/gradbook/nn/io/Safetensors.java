package dev.gradbook.nn.io;

import dev.gradbook.core.IntTensor;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * Saves and loads named tensors in the safetensors format (Hugging Face,
 * https://huggingface.co/docs/safetensors), which PyTorch tooling reads and writes:
 * <pre>
 *     8 bytes   N, the header length: an unsigned 64-bit little-endian integer
 *     N bytes   the header: UTF-8 JSON (see {@link SafetensorsHeader}), padded with spaces
 *     the rest  the data section: every tensor's elements, little-endian, row-major
 * </pre>
 * Gradbook reads the dtypes of {@link Dtype}: floating-point ones into float32 {@link Tensor}s,
 * integer ones into int32 {@link IntTensor}s, both in one {@link Contents}. It writes float
 * tensors as F32 (or, on request, F16, BF16 or F64) and integer tensors as I64. A tensor of
 * another dtype can be skipped by a filter, {@link #load(Path, Predicate)}, instead of failing
 * the whole file.
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
 *
 * // a Hugging Face file: float weights, I64 position ids, maybe a dtype Gradbook does not read
 * Safetensors.Contents hf = Safetensors.load(Path.of("gpt2.safetensors"), Safetensors.READABLE);
 * IntTensor positions = hf.intTensors().get("position_ids");
 * // half the size on disk, each value rounded to the nearest bfloat16
 * Safetensors.save(Path.of("small.safetensors"), new Safetensors.Contents(weights, Map.of()), Dtype.BF16);
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
    /** Tensor data is read and written through a buffer of this many bytes (a multiple of every dtype's size). */
    private static final int CHUNK_BYTES = 1 << 16;

    private Safetensors() {
    }

    /**
     * What a file holds, each map in file order: float tensors (F64, F32, F16 and BF16 in the
     * file), integer tensors (I64, I32, I16, I8, U8 and BOOL), and the string metadata. Tensor
     * names are unique across both maps.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, IntTensor> intTensors, Map<String, String> metadata) {
        /** Float tensors and metadata, no integer tensors. */
        public Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
            this(tensors, new LinkedHashMap<>(), metadata);
        }
    }

    /**
     * A tensor as the header describes it, before its data is read: what a filter given to
     * {@link #load(Path, Predicate)} decides on. {@code dtype} is the header's name for it
     * ({@code "F32"}, {@code "U16"}, ...), which may be one Gradbook does not read.
     */
    public record TensorInfo(String name, String dtype, long[] shape) {
    }

    /** A filter that loads every tensor of a dtype Gradbook reads and skips the others. */
    public static final Predicate<TensorInfo> READABLE = info -> Dtype.named(info.dtype()) != null;

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
        save(file, new Contents(tensors, metadata), Dtype.F32);
    }

    /** Saves float tensors as F32 and integer tensors as I64, with the metadata; see {@link #save(Path, Map, Map)}. */
    public static void save(Path file, Contents contents) {
        save(file, contents, Dtype.F32);
    }

    /**
     * Saves float tensors as {@code floatDtype} (F32, or F16 or BF16 to halve the file, rounding
     * each value to the nearest, ties to even; or F64) and integer tensors as I64; float tensors
     * are written before integer ones, each map in its fixed order (see {@link #save(Path, Map, Map)}).
     */
    public static void save(Path file, Contents contents, Dtype floatDtype) {
        if (!floatDtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Safetensors.save " + file + ": float tensors cannot be written as "
                    + floatDtype + " (choose F32, F16, BF16 or F64)");
        }
        // lay out the data section: each tensor right after the previous one
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        List<Object> values = new ArrayList<>(); // float[] or int[], in entry order
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : inFixedOrder(contents.tensors())) {
            Tensor t = checkEntry(file, e.getKey(), e.getValue(), names);
            long end = offset + (long) floatDtype.bytes() * t.numel();
            entries.add(new SafetensorsHeader.Entry(e.getKey(), floatDtype, t.shape(), offset, end));
            values.add(t.data());
            offset = end;
        }
        for (Map.Entry<String, IntTensor> e : inFixedOrder(contents.intTensors())) {
            IntTensor t = checkEntry(file, e.getKey(), e.getValue(), names);
            long end = offset + (long) Dtype.I64.bytes() * t.numel();
            entries.add(new SafetensorsHeader.Entry(e.getKey(), Dtype.I64, t.shape(), offset, end));
            values.add(t.data());
            offset = end;
        }
        Map<String, String> orderedMetadata = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : inFixedOrder(contents.metadata())) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("Safetensors.save " + file + ": metadata '" + e.getKey() + "' -> '"
                        + e.getValue() + "' (metadata keys and values must not be null)");
            }
            orderedMetadata.put(e.getKey(), e.getValue());
        }
        byte[] header;
        try {
            header = new SafetensorsHeader(entries, orderedMetadata).encode();
        } catch (IllegalArgumentException e) { // a name or value that is not valid Unicode
            throw new IllegalArgumentException("Safetensors.save " + file + ": " + e.getMessage(), e);
        }
        AtomicFile.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < entries.size(); i++) {
                Dtype dtype = entries.get(i).dtype();
                int count = entries.get(i).numel();
                int perChunk = CHUNK_BYTES / dtype.bytes();
                for (int from = 0; from < count; from += perChunk) {
                    int n = Math.min(perChunk, count - from);
                    chunk.clear();
                    if (values.get(i) instanceof float[] floats) {
                        dtype.encode(floats, from, n, chunk);
                    } else {
                        Dtype.encodeI64((int[]) values.get(i), from, n, chunk);
                    }
                    writeFully(channel, chunk.flip());
                }
            }
        });
    }

    /** A tensor to save: a name that is new, not reserved and not null, and a value. */
    private static <T> T checkEntry(Path file, String name, T value, Set<String> names) {
        if (name == null || name.equals(SafetensorsHeader.METADATA) || value == null || !names.add(name)) {
            throw new IllegalArgumentException("Safetensors.save " + file + ": invalid entry '" + name
                    + "' (the name is reserved or used twice, or the tensor is null)");
        }
        return value;
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

    /**
     * Loads every tensor and the metadata of {@code file}, after validating it. A tensor of a
     * dtype Gradbook does not read (U16, say) is an error; {@link #load(Path, Predicate)} with
     * {@link #READABLE} skips such tensors instead.
     */
    public static Contents load(Path file) {
        return load(file, info -> true);
    }

    /**
     * Loads the tensors that {@code wanted} accepts, and the metadata, after validating the
     * whole file (skipped tensors too). The filter sees each tensor's name, dtype and shape
     * before its data is read, e.g. {@code info -> info.name().startsWith("encoder.")}, or
     * {@link #READABLE} to skip dtypes Gradbook does not read.
     */
    public static Contents load(Path file, Predicate<TensorInfo> wanted) {
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
                header = SafetensorsHeader.parse(json, size - dataStart, MAX_ENTRIES, wanted);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, e.getMessage());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, IntTensor> intTensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsHeader.Entry e : header.entries) {
                if (e.dtype() == null) {
                    continue; // skipped by the caller
                }
                if (e.dtype().isFloatingPoint()) {
                    float[] values = new float[e.numel()];
                    readData(channel, dataStart + e.begin(), e.dtype(), values.length, chunk, file,
                            (in, at, n) -> e.dtype().decode(in, values, at, n));
                    tensors.put(e.name(), Tensor.wrap(values, e.shape()));
                } else {
                    int[] values = new int[e.numel()];
                    try {
                        readData(channel, dataStart + e.begin(), e.dtype(), values.length, chunk, file,
                                (in, at, n) -> e.dtype().decode(in, values, at, n));
                    } catch (IllegalArgumentException bad) {
                        throw corrupt(file, "tensor " + Json.quote(e.name()) + " (" + e.dtype() + "): " + bad.getMessage());
                    }
                    intTensors.put(e.name(), IntTensor.wrap(values, e.shape()));
                }
            }
            return new Contents(tensors, intTensors, header.metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Only the float tensors of {@code file} (all of its tensors must be of dtypes Gradbook reads). */
    public static Map<String, Tensor> loadTensors(Path file) {
        return load(file).tensors();
    }

    /** Decodes {@code count} elements starting at index {@code at} from {@code in}. */
    private interface Decoder {
        void decode(ByteBuffer in, int at, int count);
    }

    /**
     * Reads {@code count} elements of {@code dtype} at {@code position} through the reusable
     * {@code chunk}, so that a tensor needs no second, byte-sized copy of itself in memory.
     */
    private static void readData(FileChannel channel, long position, Dtype dtype, int count, ByteBuffer chunk,
                                 Path file, Decoder decoder) throws IOException {
        int perChunk = CHUNK_BYTES / dtype.bytes();
        for (int at = 0; at < count; at += perChunk) {
            int n = Math.min(perChunk, count - at);
            chunk.clear().limit(n * dtype.bytes());
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, position + (long) at * dtype.bytes() + chunk.position()) < 0) {
                    throw new java.io.EOFException(file + " ended early (did it change while being read?)");
                }
            }
            decoder.decode(chunk.flip(), at, n);
        }
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
