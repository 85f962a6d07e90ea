package dev.oneshot.core.io;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor as a safetensors file stores it: a dtype, a shape and the element bytes,
 * little-endian and row-major (C order), exactly as they sit in the file.
 *
 * <p>Keeping the raw bytes (rather than converting to float32 on the way in) means a file
 * round-trips bit for bit whatever its dtype — including NaN payloads, {@code -0.0} and
 * subnormals — and that a file with a dtype the engine cannot compute with (say BF16) can
 * still be read and inspected. Typed views are explicit: {@link #toTensor()} and
 * {@link #float32Values()} only for {@link DType#F32}; {@link #float64Values()},
 * {@link #int32Values()}, {@link #int64Values()} and {@link #int8Values()} for their own
 * dtypes; and {@link #convertToFloat32Tensor()} when you <em>want</em> a (possibly rounding)
 * conversion, so a conversion never happens by accident.
 *
 * <p>Instances are immutable: factories and accessors copy arrays.
 */
public final class StoredTensor {
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final byte[] bytes;

    private StoredTensor(String name, DType dtype, int[] shape, byte[] bytes) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.bytes = bytes;
    }

    // ------------------------------------------------------------------ construction

    /**
     * A tensor from its little-endian element bytes (copied). The byte count must be
     * numel × dtype size.
     */
    public static StoredTensor ofRawBytes(String name, DType dtype, int[] shape, byte[] littleEndianBytes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        int[] s = Shape.checked("StoredTensor '" + name + "'", shape);
        long expected = (long) Shape.numel(s) * dtype.byteSize();
        if (littleEndianBytes.length != expected) {
            throw new IllegalArgumentException("StoredTensor '" + name + "': " + dtype + " shape "
                    + Shape.toString(s) + " needs " + expected + " bytes, got " + littleEndianBytes.length);
        }
        return new StoredTensor(name, dtype, s, littleEndianBytes.clone());
    }

    /** Trusted path for the reader: no copy. */
    static StoredTensor adopt(String name, DType dtype, int[] shape, byte[] bytes) {
        return new StoredTensor(name, dtype, shape, bytes);
    }

    /** An F32 tensor holding a copy of {@code t}'s values and shape. */
    public static StoredTensor ofTensor(String name, Tensor t) {
        return ofFloat32(name, t.data(), t.shape());
    }

    public static StoredTensor ofFloat32(String name, float[] values, int... shape) {
        ByteBuffer b = buffer(name, DType.F32, values.length, shape);
        b.asFloatBuffer().put(values);
        return new StoredTensor(name, DType.F32, shape.clone(), b.array());
    }

    public static StoredTensor ofFloat64(String name, double[] values, int... shape) {
        ByteBuffer b = buffer(name, DType.F64, values.length, shape);
        b.asDoubleBuffer().put(values);
        return new StoredTensor(name, DType.F64, shape.clone(), b.array());
    }

    public static StoredTensor ofInt32(String name, int[] values, int... shape) {
        ByteBuffer b = buffer(name, DType.I32, values.length, shape);
        b.asIntBuffer().put(values);
        return new StoredTensor(name, DType.I32, shape.clone(), b.array());
    }

    public static StoredTensor ofInt64(String name, long[] values, int... shape) {
        ByteBuffer b = buffer(name, DType.I64, values.length, shape);
        b.asLongBuffer().put(values);
        return new StoredTensor(name, DType.I64, shape.clone(), b.array());
    }

    private static ByteBuffer buffer(String name, DType dtype, int count, int[] shape) {
        Objects.requireNonNull(name, "name");
        int[] s = Shape.checked("StoredTensor '" + name + "'", shape);
        if (count != Shape.numel(s)) {
            throw new IllegalArgumentException("StoredTensor '" + name + "': " + count + " values do not fill "
                    + dtype + " shape " + Shape.toString(s) + " (" + Shape.numel(s) + " elements)");
        }
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------ description

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar, shape {@code []}). */
    public int numel() {
        return Shape.numel(shape);
    }

    /** Size of the element bytes. */
    public int byteLength() {
        return bytes.length;
    }

    /** A copy of the little-endian element bytes, as stored in the file. */
    public byte[] rawBytes() {
        return bytes.clone();
    }

    /** Package view of the bytes for the writer (no copy; do not modify). */
    byte[] bytesNoCopy() {
        return bytes;
    }

    // ------------------------------------------------------------------ typed access

    /** An F32 tensor as an engine {@link Tensor} (fresh storage). Fails for any other dtype. */
    public Tensor toTensor() {
        return Tensor.wrap(float32Values(), shape.clone());
    }

    /** The values of an F32 tensor, bit-exact. */
    public float[] float32Values() {
        require(DType.F32, "float32Values");
        float[] v = new float[numel()];
        le().asFloatBuffer().get(v);
        return v;
    }

    /** The values of an F64 tensor, bit-exact. */
    public double[] float64Values() {
        require(DType.F64, "float64Values");
        double[] v = new double[numel()];
        le().asDoubleBuffer().get(v);
        return v;
    }

    /** The values of an I32 tensor. */
    public int[] int32Values() {
        require(DType.I32, "int32Values");
        int[] v = new int[numel()];
        le().asIntBuffer().get(v);
        return v;
    }

    /** The values of an I64 tensor. */
    public long[] int64Values() {
        require(DType.I64, "int64Values");
        long[] v = new long[numel()];
        le().asLongBuffer().get(v);
        return v;
    }

    /** The values of an I8 tensor (for U8 or BOOL use {@link #rawBytes()} and mask with 0xFF). */
    public byte[] int8Values() {
        require(DType.I8, "int8Values");
        return bytes.clone();
    }

    /**
     * Any numeric dtype converted to a float32 {@link Tensor}: exact for F32, BF16, BOOL,
     * U8, I8, I16, U16; rounded to nearest for F64, I32, U32, I64, U64. F16 and the F8 types
     * are not supported here.
     */
    public Tensor convertToFloat32Tensor() {
        int n = numel();
        float[] v = new float[n];
        ByteBuffer b = le();
        for (int i = 0; i < n; i++) {
            v[i] = switch (dtype) {
                case F32 -> b.getFloat(4 * i);
                case F64 -> (float) b.getDouble(8 * i);
                case BF16 -> Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
                case BOOL, U8 -> b.get(i) & 0xFF;
                case I8 -> b.get(i);
                case I16 -> b.getShort(2 * i);
                case U16 -> b.getShort(2 * i) & 0xFFFF;
                case I32 -> b.getInt(4 * i);
                case U32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
                case I64 -> b.getLong(8 * i);
                case U64 -> unsignedToFloat(b.getLong(8 * i));
                case F16, F8_E5M2, F8_E4M3 -> throw new UnsupportedOperationException("tensor '" + name
                        + "': converting " + dtype + " to float32 is not supported");
            };
        }
        return Tensor.wrap(v, shape.clone());
    }

    private static float unsignedToFloat(long u) {
        return u >= 0 ? u : ((float) ((u >>> 1) | (u & 1))) * 2f; // halve with a sticky bit, round once
    }

    private ByteBuffer le() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void require(DType wanted, String method) {
        if (dtype != wanted) {
            throw new IllegalStateException("tensor '" + name + "': " + method + "() needs dtype " + wanted
                    + ", but the tensor is " + dtype + (wanted == DType.F32 ? " (convertToFloat32Tensor() converts)" : ""));
        }
    }

    // ------------------------------------------------------------------ value semantics

    /** Equal when name, dtype, shape and every byte agree (so NaN payloads count). */
    @Override
    public boolean equals(Object o) {
        return o instanceof StoredTensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "StoredTensor[" + name + ", " + dtype + " " + Shape.toString(shape) + ", " + bytes.length + " bytes]";
    }
}
