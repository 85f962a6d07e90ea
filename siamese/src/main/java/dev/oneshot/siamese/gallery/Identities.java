package dev.oneshot.siamese.gallery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Identity names ↔ labels (0..n−1, in enrolment order), guarded by the gallery's lock; and the rule for names. */
public final class Identities {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** Refuses a null, empty or reserved ({@link Match#UNKNOWN}) identity name. */
    public static void checkName(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("Gallery: identity name must be non-empty, got "
                    + (id == null ? "null" : "\"\""));
        }
        if (id.equals(Match.UNKNOWN)) {
            throw new IllegalArgumentException("Gallery: '" + Match.UNKNOWN + "' is reserved for unknown answers");
        }
    }

    int labelOrAdd(String id) {
        Integer l = labels.get(id);
        if (l != null) {
            return l;
        }
        names.add(id);
        labels.put(id, names.size() - 1);
        return names.size() - 1;
    }

    int labelOf(String id) {
        Integer l = labels.get(id);
        if (l == null) {
            throw new NoSuchElementException("Gallery: no identity '" + id + "' is enrolled (" + names.size()
                    + " identities)");
        }
        return l;
    }

    String name(int label) {
        return names.get(label);
    }

    int size() {
        return names.size();
    }

    /** Removes a label; labels above it shift down by one. */
    void remove(int label) {
        names.remove(label);
        labels.clear();
        for (int i = 0; i < names.size(); i++) {
            labels.put(names.get(i), i);
        }
    }

    List<String> names() {
        return List.copyOf(names);
    }
}
