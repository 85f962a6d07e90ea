package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * Balanced pairs inside a P×K batch for the pair losses: for every example i, one positive
 * partner (same label, another example) and one negative partner (a different label), both
 * drawn at random. Half the pairs are "same" (y = 1), half "different" (y = 0).
 *
 * @param first  batch positions of the first element of each pair
 * @param second batch positions of the second element
 * @param same   1 when the two share a label, else 0
 */
record BatchPairs(int[] first, int[] second, int[] same) {

    static BatchPairs draw(int[] labels, SeededRandom rng) {
        int n = labels.length;
        int[] first = new int[2 * n];
        int[] second = new int[2 * n];
        int[] same = new int[2 * n];
        int count = 0;
        int[] candidates = new int[n];
        for (int i = 0; i < n; i++) {
            for (int wantSame = 1; wantSame >= 0; wantSame--) {
                int c = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i && (labels[j] == labels[i]) == (wantSame == 1)) {
                        candidates[c++] = j;
                    }
                }
                if (c > 0) {
                    first[count] = i;
                    second[count] = candidates[rng.nextInt(c)];
                    same[count] = wantSame;
                    count++;
                }
            }
        }
        return new BatchPairs(java.util.Arrays.copyOf(first, count), java.util.Arrays.copyOf(second, count),
                java.util.Arrays.copyOf(same, count));
    }
}
