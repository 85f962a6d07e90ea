package dev.oneshot.nn.data;

/** The element types an IDX file can hold, keyed by the third byte of its magic number. */
public enum IdxType {
    /** 0x08: unsigned byte (pixel values and labels in MNIST and Fashion-MNIST). */
    U8(0x08, 1, "u8"),
    /** 0x09: signed byte. */
    I8(0x09, 1, "i8"),
    /** 0x0B: big-endian signed 16-bit integer. */
    I16(0x0B, 2, "i16"),
    /** 0x0C: big-endian signed 32-bit integer. */
    I32(0x0C, 4, "i32"),
    /** 0x0D: big-endian IEEE 754 float32. */
    F32(0x0D, 4, "f32"),
    /** 0x0E: big-endian IEEE 754 float64. */
    F64(0x0E, 8, "f64");

    private final int code;
    private final int elementSize;
    private final String shortName;

    IdxType(int code, int elementSize, String shortName) {
        this.code = code;
        this.elementSize = elementSize;
        this.shortName = shortName;
    }

    /** The type code as stored in byte 2 of the magic number. */
    public int code() {
        return code;
    }

    /** Bytes per element on disk. */
    public int elementSize() {
        return elementSize;
    }

    /** {@code u8}, {@code i8}, {@code i16}, {@code i32}, {@code f32} or {@code f64}. */
    public String shortName() {
        return shortName;
    }

    /** Whether the values are integers (every type but {@code f32} and {@code f64}). */
    public boolean isInteger() {
        return this != F32 && this != F64;
    }

    /** The type for a code, or {@code null} if the code is not a known IDX type. */
    public static IdxType fromCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** {@code 0x08 u8, 0x09 i8, ...}: the list error messages quote. */
    static String knownCodes() {
        StringBuilder sb = new StringBuilder();
        for (IdxType t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(String.format("0x%02X %s", t.code, t.shortName));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return shortName;
    }
}
