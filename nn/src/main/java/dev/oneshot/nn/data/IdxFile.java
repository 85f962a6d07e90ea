package dev.oneshot.nn.data;

import java.util.Arrays;

/**
 * The content of one IDX file: its element type, its dimensions and its values, row-major.
 *
 * <p>The values are held in the primitive array that matches the type: {@code byte[]} for
 * {@code u8} and {@code i8}, {@code short[]} for {@code i16}, {@code int[]} for {@code i32},
 * {@code float[]} for {@code f32} and {@code double[]} for {@code f64}. The typed accessors
 * ({@link #bytes()} and so on) return that array itself, not a copy; {@link #getDouble},
 * {@link #toIntArray()} and {@link #toFloatArray()} work for every type. {@code u8} values are
 * stored as Java bytes; read them with {@code b & 0xFF} (or through the conversions here,
 * which do so).
 */
public final class IdxFile {
    private final String source;
    private final IdxType type;
    private final int[] dims;
    private final Object data;
    private final int size;

    IdxFile(String source, IdxType type, int[] dims, Object data, int size) {
        this.source = source;
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
        this.size = size;
    }

    /** Where the data came from (the path as given to the reader); used in error messages. */
    public String source() {
        return source;
    }

    public IdxType type() {
        return type;
    }

    /** A copy of the dimension sizes, outermost first. */
    public int[] dims() {
        return dims.clone();
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Number of elements: the product of the dimensions. */
    public int size() {
        return size;
    }

    /** Element {@code i} (flat, row-major) as a double; {@code u8} reads as 0..255. */
    public double getDouble(int i) {
        switch (type) {
            case U8: return ((byte[]) data)[i] & 0xFF;
            case I8: return ((byte[]) data)[i];
            case I16: return ((short[]) data)[i];
            case I32: return ((int[]) data)[i];
            case F32: return ((float[]) data)[i];
            case F64: return ((double[]) data)[i];
            default: throw new AssertionError(type);
        }
    }

    /** A new {@code int[]} of every element; only for integer types ({@code u8} reads as 0..255). */
    public int[] toIntArray() {
        if (!type.isInteger()) {
            throw new IllegalStateException(source + ": toIntArray needs integer data, file holds " + type);
        }
        int[] out = new int[size];
        switch (type) {
            case U8: { byte[] a = (byte[]) data; for (int i = 0; i < size; i++) out[i] = a[i] & 0xFF; break; }
            case I8: { byte[] a = (byte[]) data; for (int i = 0; i < size; i++) out[i] = a[i]; break; }
            case I16: { short[] a = (short[]) data; for (int i = 0; i < size; i++) out[i] = a[i]; break; }
            case I32: System.arraycopy((int[]) data, 0, out, 0, size); break;
            default: throw new AssertionError(type);
        }
        return out;
    }

    /** A new {@code float[]} of every element, unscaled ({@code u8} reads as 0..255). */
    public float[] toFloatArray() {
        float[] out = new float[size];
        switch (type) {
            case U8: { byte[] a = (byte[]) data; for (int i = 0; i < size; i++) out[i] = a[i] & 0xFF; break; }
            case I8: { byte[] a = (byte[]) data; for (int i = 0; i < size; i++) out[i] = a[i]; break; }
            case I16: { short[] a = (short[]) data; for (int i = 0; i < size; i++) out[i] = a[i]; break; }
            case I32: { int[] a = (int[]) data; for (int i = 0; i < size; i++) out[i] = a[i]; break; }
            case F32: System.arraycopy((float[]) data, 0, out, 0, size); break;
            case F64: { double[] a = (double[]) data; for (int i = 0; i < size; i++) out[i] = (float) a[i]; break; }
            default: throw new AssertionError(type);
        }
        return out;
    }

    /** The stored bytes of a {@code u8} or {@code i8} file (shared, not copied). */
    public byte[] bytes() {
        need(IdxType.U8, IdxType.I8);
        return (byte[]) data;
    }

    /** The stored values of an {@code i16} file (shared, not copied). */
    public short[] shorts() {
        need(IdxType.I16, null);
        return (short[]) data;
    }

    /** The stored values of an {@code i32} file (shared, not copied). */
    public int[] ints() {
        need(IdxType.I32, null);
        return (int[]) data;
    }

    /** The stored values of an {@code f32} file (shared, not copied). */
    public float[] floats() {
        need(IdxType.F32, null);
        return (float[]) data;
    }

    /** The stored values of an {@code f64} file (shared, not copied). */
    public double[] doubles() {
        need(IdxType.F64, null);
        return (double[]) data;
    }

    private void need(IdxType a, IdxType b) {
        if (type != a && type != b) {
            throw new IllegalStateException(source + ": asked for " + a + (b == null ? "" : " or " + b)
                    + " data, file holds " + type);
        }
    }

    @Override
    public String toString() {
        return "IdxFile[" + source + ", " + type + " " + Arrays.toString(dims) + "]";
    }
}
