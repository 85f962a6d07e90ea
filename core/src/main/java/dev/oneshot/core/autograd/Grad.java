package dev.oneshot.core.autograd;

/**
 * Grad mode: whether ops record a graph for {@code backward()}.
 *
 * <p>Inference and parameter updates run with recording off, as a scope:
 * <pre>{@code
 * try (Grad.Scope off = Grad.off()) {
 *     Tensor embedding = model.forward(image);   // no graph is built
 * }
 * }</pre>
 * The mode is per thread; scopes nest.
 */
public final class Grad {
    private static final ThreadLocal<int[]> OFF_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Grad() {
    }

    /** True when ops on this thread record the graph (the default). */
    public static boolean isEnabled() {
        return OFF_DEPTH.get()[0] == 0;
    }

    /** Turns graph recording off on this thread until the returned scope is closed. */
    public static Scope off() {
        int[] depth = OFF_DEPTH.get();
        depth[0]++;
        return new Scope(depth);
    }

    /** A no-grad scope; closing it restores the previous mode. Close it exactly once. */
    public static final class Scope implements AutoCloseable {
        private final int[] depth;
        private boolean closed;

        private Scope(int[] depth) {
            this.depth = depth;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            depth[0]--;
        }
    }
}
