package dev.oneshot.core.io;

/**
 * The element types a safetensors file can declare, with their names as written in the header
 * ({@code "dtype": "F32"}) and their size in bytes.
 *
 * <p>The constants are declared in the same order as the reference implementation's
 * {@code Dtype} enum (Hugging Face {@code safetensors}, Rust), which is non-decreasing in byte
 * size. The writer uses this order to lay tensors out: <em>largest rank first</em> (so the
 * 8-byte types come first, then the 4-byte ones, ...), which keeps every tensor aligned to its
 * element size once the header is padded to a multiple of 8. Within one byte size the
 * reference breaks ties by this declaration order too (for example {@code F32} before
 * {@code U32} before {@code I32}), and so does {@link SafetensorsWriter}.
 *
 * <p>Every standard name is listed so that files using it are recognised and their bytes can
 * be read raw ({@link StoredTensor#rawBytes()}); typed access is offered for {@link #F32},
 * {@link #F64}, {@link #I32}, {@link #I64}, {@link #U8}, {@link #I8} and {@link #BOOL}.
 * The sub-byte types of newer safetensors releases (F4, F6_*) are not listed.
 */
public enum DType {
    /** One byte per element, 0 = false, 1 = true. */
    BOOL(1),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** Signed 8-bit integer. */
    I8(1),
    /** 8-bit float, 5 exponent bits and 2 mantissa bits. */
    F8_E5M2(1),
    /** 8-bit float, 4 exponent bits and 3 mantissa bits. */
    F8_E4M3(1),
    /** Signed 16-bit integer. */
    I16(2),
    /** Unsigned 16-bit integer. */
    U16(2),
    /** IEEE 754 half precision. */
    F16(2),
    /** bfloat16: the top 16 bits of a float32. */
    BF16(2),
    /** Signed 32-bit integer. */
    I32(4),
    /** Unsigned 32-bit integer. */
    U32(4),
    /** IEEE 754 single precision — the engine's own element type. */
    F32(4),
    /** IEEE 754 double precision. */
    F64(8),
    /** Signed 64-bit integer. */
    I64(8),
    /** Unsigned 64-bit integer. */
    U64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name written in the header's {@code "dtype"} field, e.g. {@code "F32"}. */
    public String safetensorsName() {
        return name();
    }

    /** The dtype with this header name, or {@code null} if the name is not a safetensors dtype. */
    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
