package dev.oneshot.core.tensor;

import dev.oneshot.core.kernels.Elementwise;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process-wide pool of large {@code float[]} and {@code int[]} buffers, so that a training
 * step reuses the activation, gradient and scratch arrays of the step before instead of
 * allocating (and the collector reclaiming) hundreds of MB per step.
 *
 * <p>Buffers are matched by exact length (a network's shapes repeat step after step). Only
 * arrays of at least {@link #MIN_LENGTH} elements are pooled; smaller ones are plain
 * allocations, cheap in a thread-local allocation buffer. The pool keeps at most
 * {@link #capacityBytes()} bytes (a quarter of the maximum heap) and {@value #PER_LENGTH} buffers
 * of one length; a buffer returned beyond the second limit is left to the garbage collector. At
 * the first, the lengths asked for least recently are dropped to make room: a JVM that trained
 * one network and then another would otherwise keep the first one's buffers and pool none of the
 * second's (400 MB of garbage per Conv-4 step, measured after the app's test suite had filled the
 * pool). A buffer given back twice is refused with an exception (two owners would share it).
 *
 * <p>The contract is ownership: whoever {@linkplain #give gives} a buffer back must hold the only
 * reference that will ever be used again. Who gives what back: backward returns the gradients
 * of intermediate tensors it drops, ops return scratch they own (arg-max indices, partial
 * sums), and {@link Tensor#backwardAndRecycle()} returns the values of a graph's intermediate
 * tensors when its caller promises not to read them again. Thread-safe.
 */
public final class BufferPool {
    /** The smallest length that is pooled (16 K elements, 64 KB). */
    public static final int MIN_LENGTH = 1 << 14;

    /** The most buffers of one length the pool keeps. */
    static final int PER_LENGTH = 16;

    /** Buffers by length, in the order their lengths were last asked for or given (least recent first). */
    private static final Map<Integer, ArrayDeque<float[]>> FLOATS = new LinkedHashMap<>(16, 0.75f, true);
    private static final Map<Integer, ArrayDeque<int[]>> INTS = new LinkedHashMap<>(16, 0.75f, true);
    private static long capacity = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4); // guarded
    private static long pooledBytes; // guarded by BufferPool.class

    private BufferPool() {
    }

    /** The most bytes the pool keeps. */
    public static synchronized long capacityBytes() {
        return capacity;
    }

    /** Sets the most bytes the pool keeps (tests), dropping least recently used lengths beyond it. */
    static synchronized void capacityBytes(long bytes) {
        capacity = bytes;
        makeRoom(0, -1, -1);
    }

    /**
     * Drops whole lengths, least recently used first (floats, then ints), until {@code bytes} more
     * fit under the capacity; never the lengths {@code keepFloats} and {@code keepInts} being given
     * back. Returns whether they fit.
     */
    private static boolean makeRoom(long bytes, int keepFloats, int keepInts) {
        dropLeastRecent(FLOATS, bytes, keepFloats);
        dropLeastRecent(INTS, bytes, keepInts);
        return pooledBytes + bytes <= capacity;
    }

    /** {@link #makeRoom} in one map: whole lengths other than {@code keep}, least recently used first. */
    private static <T> void dropLeastRecent(Map<Integer, ArrayDeque<T>> buffers, long bytes, int keep) {
        for (Iterator<Map.Entry<Integer, ArrayDeque<T>>> it = buffers.entrySet().iterator();
             it.hasNext() && pooledBytes + bytes > capacity; ) {
            Map.Entry<Integer, ArrayDeque<T>> e = it.next();
            if (e.getKey() != keep) {
                pooledBytes -= 4L * e.getKey() * e.getValue().size(); // float and int: 4 bytes each
                it.remove();
            }
        }
    }

    /** Bytes currently held by the pool (for tests and measurements). */
    public static synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** A float buffer of exactly {@code length} elements with undefined contents (the caller writes every element). */
    public static float[] floats(int length) {
        if (length >= MIN_LENGTH) {
            synchronized (BufferPool.class) {
                ArrayDeque<float[]> q = FLOATS.get(length);
                float[] a = q == null ? null : q.pollLast();
                if (a != null) {
                    pooledBytes -= 4L * length;
                    return a;
                }
            }
        }
        return new float[length];
    }

    /** A float buffer of exactly {@code length} zeros. */
    public static float[] zeroedFloats(int length) {
        if (length < MIN_LENGTH) {
            return new float[length];
        }
        float[] a = floats(length);
        Elementwise.zero(a); // split between the kernel threads: a layer's gradient is megabytes
        return a;
    }

    /** An int buffer of exactly {@code length} elements with undefined contents. */
    public static int[] ints(int length) {
        if (length >= MIN_LENGTH) {
            synchronized (BufferPool.class) {
                ArrayDeque<int[]> q = INTS.get(length);
                int[] a = q == null ? null : q.pollLast();
                if (a != null) {
                    pooledBytes -= 4L * length;
                    return a;
                }
            }
        }
        return new int[length];
    }

    /** Hands a buffer back; the caller must not use it (or let anything else use it) again. Null is ignored. */
    public static void give(float[] a) {
        if (a == null || a.length < MIN_LENGTH) {
            return;
        }
        synchronized (BufferPool.class) {
            ArrayDeque<float[]> q = FLOATS.computeIfAbsent(a.length, k -> new ArrayDeque<>());
            for (float[] held : q) {
                if (held == a) {
                    throw new IllegalStateException("BufferPool.give: a float[" + a.length + "] was given back twice "
                            + "(two owners would share it)");
                }
            }
            if (q.size() < PER_LENGTH && makeRoom(4L * a.length, a.length, -1)) {
                q.addLast(a);
                pooledBytes += 4L * a.length;
            }
        }
    }

    /** Hands an int buffer back; as {@link #give(float[])}. */
    public static void give(int[] a) {
        if (a == null || a.length < MIN_LENGTH) {
            return;
        }
        synchronized (BufferPool.class) {
            ArrayDeque<int[]> q = INTS.computeIfAbsent(a.length, k -> new ArrayDeque<>());
            for (int[] held : q) {
                if (held == a) {
                    throw new IllegalStateException("BufferPool.give: a int[" + a.length + "] was given back twice "
                            + "(two owners would share it)");
                }
            }
            if (q.size() < PER_LENGTH && makeRoom(4L * a.length, -1, a.length)) {
                q.addLast(a);
                pooledBytes += 4L * a.length;
            }
        }
    }

    /** Empties the pool (its buffers are left to the garbage collector). */
    public static synchronized void clear() {
        FLOATS.clear();
        INTS.clear();
        pooledBytes = 0;
    }
}
