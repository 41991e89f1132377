package dev.gradbook.nn.io;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The element types that Gradbook reads from a safetensors file, each converted to float32 on
 * loading. Gradbook writes F32 only.
 *
 * <pre>
 *     F32   IEEE 754 binary32: sign, 8 exponent bits, 23 fraction bits
 *     F16   IEEE 754 binary16: sign, 5 exponent bits (bias 15), 10 fraction bits
 *     BF16  bfloat16: the top 16 bits of a binary32 (sign, 8 exponent bits, 7 fraction bits)
 * </pre>
 * Both 16-bit types convert to float32 exactly, because float32 has at least their range and
 * precision.
 */
public enum Dtype {
    F32(4), F16(2), BF16(2);

    /** Every dtype name the safetensors format defines, to tell "unsupported" from "unknown". */
    static final Set<String> FORMAT_NAMES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16",
            "BF16", "I32", "U32", "F32", "F64", "I64", "U64");

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Reads {@code out.length} little-endian elements from {@code in} into {@code out}, as float32. */
    void decode(ByteBuffer in, float[] out) {
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(in.getShort() & 0xFFFF);
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bfloat16ToFloat(in.getShort() & 0xFFFF);
                }
            }
        }
    }

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

    /** A bfloat16 value (in the low 16 bits) as a float: its bits are the top half of a float's. */
    public static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat(bits << 16);
    }
}
