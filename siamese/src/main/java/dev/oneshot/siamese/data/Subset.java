package dev.oneshot.siamese.data;

import java.util.Arrays;
import java.util.Map;

/**
 * A view of some examples of a parent data set: an index list, no pixel copies.
 *
 * <p>The classes present are renumbered densely in increasing order of their parent index, so a
 * view of classes {7, 2, 9} has labels 0 (parent 2), 1 (parent 7), 2 (parent 9); class names
 * and metadata are the parent's. {@link #parentIndex} and {@link #parentClass} map back.
 */
public final class Subset implements LabeledImages {
    private final LabeledImages parent;
    private final int[] indices;
    private final int[] classes;      // local class -> parent class
    private final int[] localOf;      // parent class -> local class, or -1

    /** The examples {@code indices} of {@code parent}, in that order (repeats are rejected). */
    public Subset(LabeledImages parent, int[] indices) {
        this.parent = parent;
        this.indices = indices.clone();
        boolean[] seen = new boolean[parent.size()];
        boolean[] present = new boolean[parent.classCount()];
        for (int i : this.indices) {
            if (i < 0 || i >= parent.size()) {
                throw new IndexOutOfBoundsException("Subset: index " + i + " outside 0.." + (parent.size() - 1));
            }
            if (seen[i]) {
                throw new IllegalArgumentException("Subset: index " + i + " given twice");
            }
            seen[i] = true;
            present[parent.label(i)] = true;
        }
        localOf = new int[present.length];
        Arrays.fill(localOf, -1);
        int k = 0;
        for (int c = 0; c < present.length; c++) {
            if (present[c]) {
                localOf[c] = k++;
            }
        }
        classes = new int[k];
        for (int c = 0; c < present.length; c++) {
            if (present[c]) {
                classes[localOf[c]] = c;
            }
        }
    }

    /** Every example of {@code parent} whose class is in {@code parentClasses}, in parent order. */
    public static Subset ofClasses(LabeledImages parent, int[] parentClasses) {
        boolean[] keep = new boolean[parent.classCount()];
        for (int c : parentClasses) {
            keep[c] = true;
        }
        int[] idx = java.util.stream.IntStream.range(0, parent.size()).filter(i -> keep[parent.label(i)]).toArray();
        return new Subset(parent, idx);
    }

    /** The first {@code n} examples of every class of {@code parent} (all, for a class with fewer), class by class. */
    public static Subset firstPerClass(LabeledImages parent, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Subset.firstPerClass: n must be at least 1, got " + n);
        }
        return new Subset(parent, Arrays.stream(parent.indicesByClass())
                .flatMapToInt(members -> Arrays.stream(members, 0, Math.min(n, members.length))).toArray());
    }

    /** The data set this is a view of. */
    public LabeledImages parent() {
        return parent;
    }

    /** The parent index of every example, in order (a copy). */
    public int[] parentIndices() {
        return indices.clone();
    }

    /** The parent index of example {@code i}. */
    public int parentIndex(int i) {
        return indices[i];
    }

    /** The parent class index of local class {@code c}. */
    public int parentClass(int c) {
        return classes[c];
    }

    /** The parent class indices present, in local order (a copy). */
    public int[] parentClasses() {
        return classes.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int i) {
        return localOf[parent.label(indices[i])];
    }

    @Override
    public int classCount() {
        return classes.length;
    }

    @Override
    public String className(int c) {
        return parent.className(classes[c]);
    }

    @Override
    public int[] imageShape() {
        return parent.imageShape();
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        parent.copyImage(indices[i], out, offset);
    }

    @Override
    public Map<String, String> metadata(int i) {
        return parent.metadata(indices[i]);
    }
}
