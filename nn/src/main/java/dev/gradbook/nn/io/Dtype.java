package dev.gradbook.nn.io;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The element types Gradbook reads from and writes to a safetensors file. Floating-point types
 * load as float32 {@code Tensor}s, integer types as int32 {@code IntTensor}s.
 *
 * <pre>
 *     F64   IEEE 754 binary64, rounded to the nearest float32 (beyond its range: infinity)
 *     F32   IEEE 754 binary32: sign, 8 exponent bits, 23 fraction bits
 *     F16   IEEE 754 binary16: sign, 5 exponent bits (bias 15), 10 fraction bits
 *     BF16  bfloat16: the top 16 bits of a binary32 (sign, 8 exponent bits, 7 fraction bits)
 *     I64, I32, I16, I8   two's complement; an I64 value beyond int32 is an error
 *     U8    unsigned byte;  BOOL  one byte, 0 or 1
 * </pre>
 * F16 and BF16 convert to float32 exactly (float32 has their range and precision). Writing
 * float32 as F16 or BF16 rounds to the nearest representable value, ties to even (IEEE 754's
 * default), with overflow to infinity; NaN stays NaN. Integer tensors are written as I64, as
 * PyTorch stores indices. Other dtypes of the format (U16, U32, U64, F8_E4M3, F8_E5M2, and names
 * added later) are not read: {@link Safetensors#load(java.nio.file.Path, java.util.function.Predicate)}
 * can skip them.
 */
public enum Dtype {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    /** Bytes per element of every dtype the safetensors format defines, read by Gradbook or not. */
    static final Map<String, Integer> FORMAT_BYTES = Map.ofEntries(Map.entry("BOOL", 1), Map.entry("U8", 1),
            Map.entry("I8", 1), Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1), Map.entry("I16", 2),
            Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** F64, F32, F16 and BF16 load as float Tensors; the rest as IntTensors. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The dtype of that name in a safetensors header, or null if Gradbook does not read it. */
    public static Dtype named(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ reading

    /** Reads {@code count} little-endian elements from {@code in} into {@code out[at...]}, as float32. */
    void decode(ByteBuffer in, float[] out, int at, int count) {
        for (int i = at; i < at + count; i++) {
            out[i] = switch (this) {
                case F64 -> (float) in.getDouble(); // Java's narrowing rounds to nearest, ties to even
                case F32 -> in.getFloat();
                case F16 -> halfToFloat(in.getShort() & 0xFFFF);
                case BF16 -> bfloat16ToFloat(in.getShort() & 0xFFFF);
                default -> throw new IllegalStateException(this + " is not a floating-point dtype");
            };
        }
    }

    /**
     * Reads {@code count} little-endian integers from {@code in} into {@code out[at...]}; a value
     * that int32 cannot hold, or a BOOL byte other than 0 and 1, is an IllegalArgumentException
     * giving its index.
     */
    void decode(ByteBuffer in, int[] out, int at, int count) {
        for (int i = at; i < at + count; i++) {
            long v = switch (this) {
                case I64 -> in.getLong();
                case I32 -> in.getInt();
                case I16 -> in.getShort();
                case I8 -> in.get();
                case U8, BOOL -> in.get() & 0xFF;
                default -> throw new IllegalStateException(this + " is not an integer dtype");
            };
            if (v != (int) v) {
                throw new IllegalArgumentException("value " + v + " at index " + i + " does not fit in 32 bits "
                        + "(integer tensors load as int32 IntTensors)");
            }
            if (this == BOOL && v > 1) {
                throw new IllegalArgumentException("BOOL byte " + v + " at index " + i + " is neither 0 nor 1");
            }
            out[i] = (int) v;
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code count} elements of {@code in} from {@code at} to {@code out} in this (floating-point) dtype. */
    void encode(float[] in, int at, int count, ByteBuffer out) {
        for (int i = at; i < at + count; i++) {
            switch (this) {
                case F64 -> out.putDouble(in[i]);
                case F32 -> out.putFloat(in[i]);
                case F16 -> out.putShort((short) floatToHalf(in[i]));
                case BF16 -> out.putShort((short) floatToBfloat16(in[i]));
                default -> throw new IllegalStateException(this + " is not a floating-point dtype");
            }
        }
    }

    /** Writes {@code count} integers of {@code in} from {@code at} to {@code out} as I64. */
    static void encodeI64(int[] in, int at, int count, ByteBuffer out) {
        for (int i = at; i < at + count; i++) {
            out.putLong(in[i]);
        }
    }

    // ------------------------------------------------------------------ 16-bit floats

    /**
     * An IEEE binary16 value (in the low 16 bits) as a float. With sign s, exponent e and
     * fraction f: e = 0 is a subnormal, {@code (-1)^s * f * 2^-24}; e = 31 is infinity (f = 0)
     * or NaN; otherwise {@code (-1)^s * (1 + f / 1024) * 2^(e - 15)}, which in binary32 is
     * exponent {@code e - 15 + 127} and the fraction shifted up by 13 bits.
     */
    public static float halfToFloat(int bits) {
        int sign = (bits >>> 15) & 1;
        int exponent = (bits >>> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0) {
            float magnitude = fraction * 0x1p-24f; // exact: at most 10 significant bits
            return sign == 1 ? -magnitude : magnitude;
        }
        int exponent32 = exponent == 31 ? 0xFF : exponent - 15 + 127; // all ones stays all ones (inf, NaN)
        return Float.intBitsToFloat(sign << 31 | exponent32 << 23 | fraction << 13);
    }

    /**
     * The binary16 value nearest to {@code f} (ties to the even fraction), in the low 16 bits.
     * A float's 24-bit significand {@code m} (with its leading 1) and exponent {@code E} give
     * {@code f = m * 2^(E - 23)}; binary16 keeps 11 significant bits for exponents from -14 to
     * 15, so the 13 lowest bits of {@code m} are rounded off, and more below 2^-14 (subnormals,
     * multiples of 2^-24). A carry out of the fraction moves to the next exponent, and past the
     * largest finite value (65504) to infinity.
     */
    public static int floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent32 = (bits >>> 23) & 0xFF;
        int fraction = bits & 0x7FFFFF;
        if (exponent32 == 0xFF) { // infinity, or NaN kept quiet (with the top of its payload)
            return sign | 0x7C00 | (fraction == 0 ? 0 : 0x200 | fraction >>> 13);
        }
        int exponent = exponent32 - 127 + 15;
        if (exponent >= 31) {
            return sign | 0x7C00;
        }
        if (exponent >= 1) { // normal: drop 13 bits; the carry may run into the exponent
            return sign | roundShift(exponent << 23 | fraction, 13);
        }
        // subnormal: the significand with its leading 1, in units of 2^-24
        int shift = 14 - exponent;
        return shift > 24 ? sign : sign | roundShift(0x800000 | fraction, shift);
    }

    /** {@code value >> shift}, rounded to nearest with ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || (rest == half && (kept & 1) == 1) ? kept + 1 : kept;
    }

    /** A bfloat16 value (in the low 16 bits) as a float: its bits are the top half of a float's. */
    public static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * The bfloat16 value nearest to {@code f} (ties to even), in the low 16 bits: the float's
     * top 16 bits, rounded by its low 16 (a carry may run into the exponent, up to infinity).
     */
    public static int floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return bits >>> 16 | 0x40; // quiet, so that dropping the low bits cannot make it infinity
        }
        return roundShift(bits, 16) & 0xFFFF;
    }
}
