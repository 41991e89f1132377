package dev.gradbook.nn.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The JSON header of a safetensors file: for each tensor its dtype, shape and byte range in
 * the data section, plus an optional {@code "__metadata__"} map of strings.
 * <pre>
 * {"__metadata__": {"step": "100"},
 *  "fc.weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
 *  "fc.bias":   {"dtype": "F32", "shape": [2],    "data_offsets": [24, 32]}}
 * </pre>
 * Reading checks everything the reference implementation checks before any tensor data is
 * touched: the entries' byte ranges must tile the data section exactly (in some order, without
 * gap or overlap), and each range must be exactly as long as its shape and dtype require. A
 * tensor the caller chooses to skip (see {@link Safetensors#load(java.nio.file.Path, Predicate)})
 * may have any dtype, even one unknown to Gradbook, but its byte range is checked all the same.
 * Problems are reported as a plain sentence; {@link Safetensors} adds the file name.
 */
final class SafetensorsHeader {
    static final String METADATA = "__metadata__";

    /**
     * One tensor's description; {@code begin} and {@code end} are offsets into the data section.
     * A tensor the caller skips has a null dtype and shape: only its byte range is kept, to check
     * that the ranges tile the data section.
     */
    record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {
        int numel() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    final List<Entry> entries;
    final Map<String, String> metadata;

    SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    // ------------------------------------------------------------------ writing

    /** The header as UTF-8 JSON, padded with spaces to a multiple of 8 bytes so the data section is aligned. */
    byte[] encode() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(METADATA, metadata);
        }
        for (Entry e : entries) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype().name());
            info.put("shape", Arrays.stream(e.shape()).boxed().toList());
            info.put("data_offsets", List.of(e.begin(), e.end()));
            json.put(e.name(), info);
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(text, padded);
        Arrays.fill(out, text.length, padded, (byte) ' ');
        return out;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Parses and validates a header for a data section of {@code dataLength} bytes. Members are
     * converted one at a time as the JSON is read, so the memory used is that of the entries,
     * never of a whole JSON tree; at most {@code maxEntries} tensors and metadata keys are read.
     */
    static SafetensorsHeader parse(String text, long dataLength, int maxEntries,
                                   Predicate<Safetensors.TensorInfo> wanted) {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        // the first problem with an entry is reported after the whole text has parsed, so that
        // invalid JSON is reported as such wherever it is
        IllegalArgumentException[] problem = new IllegalArgumentException[1];
        try {
            Json.parseObject(text, (name, value) -> {
                if (problem[0] != null) {
                    return;
                }
                try {
                    if (name.equals(METADATA)) {
                        metadata(value, metadata);
                    } else {
                        entries.add(entry(name, value, dataLength, wanted));
                    }
                    if (entries.size() + metadata.size() > maxEntries) {
                        throw new IllegalArgumentException("the header holds more than " + maxEntries
                                + " tensors and metadata keys, the limit (Safetensors.MAX_ENTRIES)");
                    }
                } catch (IllegalArgumentException e) {
                    problem[0] = e;
                    entries.clear();
                    metadata.clear();
                }
            });
        } catch (IllegalArgumentException e) {
            if (e.getMessage().equals("the text is not a JSON object")) {
                throw new IllegalArgumentException("the header is not a JSON object");
            }
            throw e;
        }
        if (problem[0] != null) {
            throw problem[0];
        }
        checkCoverage(entries, dataLength);
        return new SafetensorsHeader(entries, metadata);
    }

    private static void metadata(Object value, Map<String, String> out) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'" + METADATA + "' is not a JSON object");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException("metadata " + Json.quote((String) e.getKey()) + " is not a string");
            }
            out.put((String) e.getKey(), s);
        }
    }

    private static Entry entry(String name, Object value, long dataLength, Predicate<Safetensors.TensorInfo> wanted) {
        String where = "tensor " + Json.quote(name);
        if (!(value instanceof Map<?, ?> info) || !info.keySet().equals(java.util.Set.of("dtype", "shape", "data_offsets"))) {
            throw new IllegalArgumentException(where + " must be an object with exactly \"dtype\", \"shape\" and "
                    + "\"data_offsets\"");
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw new IllegalArgumentException(where + ": dtype is not a string");
        }
        long[] dims = integers(where, "shape", info.get("shape"));
        long[] offsets = integers(where, "data_offsets", info.get("data_offsets"));
        if (offsets.length != 2) {
            throw new IllegalArgumentException(where + ": data_offsets must be [begin, end], got "
                    + show(offsets));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin || end > dataLength) {
            throw new IllegalArgumentException(where + ": data_offsets " + show(offsets)
                    + " are out of range for a data section of " + dataLength + " bytes");
        }
        // the element count, guarded against overflow: a hostile shape must not wrap around
        long numel = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(where + ": negative dimension in shape " + show(dims));
            }
            numel = multiply(numel, d, () -> where + ": the element count of shape " + show(dims) + " overflows 64 bits");
        }
        boolean load = wanted.test(new Safetensors.TensorInfo(name, dtypeName, dims.clone()));
        Integer size = Dtype.FORMAT_BYTES.get(dtypeName);
        Dtype dtype = Dtype.named(dtypeName);
        if (load && dtype == null) {
            throw new IllegalArgumentException(where + (size != null
                    ? ": dtype " + dtypeName + " is not supported (Gradbook reads " + Arrays.toString(Dtype.values()) + ")"
                    : ": unknown dtype " + Json.quote(dtypeName))
                    + "; Safetensors.load(file, Safetensors.READABLE) skips such tensors");
        }
        if (load) {
            for (long d : dims) {
                if (d > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(where + ": dimension " + d + " in shape "
                            + show(dims) + " is larger than a Java array holds");
                }
            }
            if (numel > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + ": shape " + show(dims) + " has " + numel
                        + " elements, more than a Java array holds");
            }
        }
        if (size != null) { // the byte count is checked even for a tensor that is skipped
            long needed = multiply(numel, size, () -> where + ": shape " + show(dims) + " of " + dtypeName
                    + " needs more than 2^63 bytes");
            if (needed != end - begin) {
                throw new IllegalArgumentException(where + ": shape " + show(dims) + " of " + dtypeName + " needs "
                        + needed + " bytes, but data_offsets " + show(offsets) + " hold " + (end - begin));
            }
        }
        if (!load) {
            return new Entry(name, null, null, begin, end);
        }
        return new Entry(name, dtype, Arrays.stream(dims).mapToInt(d -> (int) d).toArray(), begin, end);
    }

    /** {@code a * b}, or an IllegalArgumentException with the message {@code overflow} gives (built only then). */
    private static long multiply(long a, long b, Supplier<String> overflow) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(overflow.get());
        }
    }

    private static long[] integers(String where, String field, Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": " + field + " is not an array");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v)) {
                throw new IllegalArgumentException(where + ": " + field + " holds " + Json.brief(String.valueOf(list.get(i)))
                        + ", not an integer");
            }
            out[i] = v;
        }
        return out;
    }

    /** Numbers as "[2, 3]"; a long list is cut short (a hostile header may hold a million). */
    private static String show(long[] values) {
        String head = Json.brief(Arrays.toString(Arrays.copyOf(values, Math.min(values.length, 8))));
        return values.length <= 8 ? head : head + " (the first 8 of " + values.length + ")";
    }

    /** The byte ranges, sorted, must follow each other from 0 to the end of the data section. */
    private static void checkCoverage(List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw new IllegalArgumentException("tensor " + Json.quote(e.name()) + " at bytes [" + e.begin() + ", " + e.end()
                        + ") overlaps the tensor before it, which ends at " + covered);
            }
            if (e.begin() > covered) {
                throw new IllegalArgumentException("bytes [" + covered + ", " + e.begin() + ") of the data section "
                        + "belong to no tensor (the next is " + Json.quote(e.name()) + ")");
            }
            covered = e.end();
        }
        if (covered != dataLength) {
            throw new IllegalArgumentException("the data section has " + dataLength + " bytes, but the tensors cover "
                    + covered);
        }
    }
}
