package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.InMemoryImages;

import java.util.ArrayList;
import java.util.List;

/** Tiny seeded image classes for trainer tests: a random 1×8×8 prototype per class plus noise. */
final class Synthetic {
    private Synthetic() {
    }

    static InMemoryImages classes(int classes, int perClass, float noise, long seed) {
        SeededRandom rng = new SeededRandom(seed);
        int size = 64;
        float[][] prototypes = new float[classes][size];
        for (float[] p : prototypes) {
            rng.fillUniform(p, 0f, 1f);
        }
        float[] pixels = new float[classes * perClass * size];
        int[] labels = new int[classes * perClass];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
            for (int k = 0; k < perClass; k++) {
                int i = c * perClass + k;
                labels[i] = c;
                for (int t = 0; t < size; t++) {
                    float v = prototypes[c][t] + noise * (float) rng.nextGaussian();
                    pixels[i * size + t] = Math.min(1f, Math.max(0f, v));
                }
            }
        }
        return new InMemoryImages(pixels, new int[] {1, 8, 8}, labels, names, null);
    }
}
