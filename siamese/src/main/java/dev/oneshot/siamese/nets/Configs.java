package dev.oneshot.siamese.nets;

/** Validation shared by the network configs. */
final class Configs {
    private Configs() {
    }

    static void requirePositive(String config, String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(config + ": " + field + " must be positive, got " + value);
        }
    }
}
