package dev.oneshot.siamese.mining;

import java.util.Arrays;

/** A growable list of (anchor, positive, negative) used by the miners while they search. */
final class TripletBuffer {
    private int[] a = new int[16];
    private int[] p = new int[16];
    private int[] n = new int[16];
    private int size;

    void add(int anchor, int positive, int negative) {
        if (size == a.length) {
            a = Arrays.copyOf(a, 2 * size);
            p = Arrays.copyOf(p, 2 * size);
            n = Arrays.copyOf(n, 2 * size);
        }
        a[size] = anchor;
        p[size] = positive;
        n[size] = negative;
        size++;
    }

    Triplets toTriplets() {
        return size == 0 ? Triplets.empty()
                : new Triplets(Arrays.copyOf(a, size), Arrays.copyOf(p, size), Arrays.copyOf(n, size));
    }
}
