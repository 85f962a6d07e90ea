package dev.oneshot.core.kernels;

import java.util.function.IntSupplier;

/**
 * The one place that decides whether the kernels use the JDK Vector API
 * ({@code jdk.incubator.vector}, an incubator module in JDK 17) and that loads the Vector API
 * kernels. Every facade with a vector path ({@link Gemm}, {@link Pooling},
 * {@link DistanceKernels}) asks here; so do the benchmarks.
 *
 * <p><b>Available</b> ({@link #available()}): the module is in the boot layer, i.e. the JVM was
 * started with {@code --add-modules jdk.incubator.vector} (the {@code ./oneshot} launcher and
 * the JMH forks add it; core's test suite runs once without it and once with it, see
 * core/pom.xml). Without it no class that names the Vector API is ever linked, so the library
 * runs on any JDK 17, on its scalar loops.
 *
 * <p><b>Enabled</b> ({@link #enabled()}): available and not switched off. The switch is read
 * once, at start-up, the way {@code oneshot.threads} is:
 * <ul>
 *   <li>the system property {@value #PROPERTY} ({@code -Doneshot.vector=false}), or else</li>
 *   <li>the environment variable {@value #ENVIRONMENT} ({@code ONESHOT_VECTOR=0}; the launcher
 *       then also leaves the module out);</li>
 *   <li>{@code false}, {@code 0} or {@code off} switch the Vector API off; {@code true},
 *       {@code 1} or {@code on} leave it on; anything else is reported on stderr and ignored;
 *       unset, it is on.</li>
 * </ul>
 * {@link #use(boolean)} changes it at run time for every kernel at once (tests and benchmarks
 * compare the two paths). The choice never changes an answer beyond what each kernel's javadoc
 * states: the scan's keys and the pooling are bitwise the same on both paths; the GEMM rounds
 * differently (fused multiply-add) but is deterministic on each.
 *
 * <p><b>Which path runs</b>: {@link #path()}, {@code "vector-<bits>"} (the preferred vector width
 * of this CPU, e.g. {@code vector-512}) or {@code "scalar"}; each facade's {@code kernel()} says
 * the same for its own kernel (via {@link #pathOf}).
 */
public final class VectorSupport {
    /** The incubator module holding the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";
    /** The system property that switches the Vector API off ({@code false}, {@code 0}, {@code off}). */
    public static final String PROPERTY = "oneshot.vector";
    /** The environment variable read when {@link #PROPERTY} is not set. */
    public static final String ENVIRONMENT = "ONESHOT_VECTOR";

    private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule(MODULE).isPresent();
    /** The preferred vector width in bits, or null when the Vector API cannot be used. */
    private static final IntSupplier WIDTH = load(IntSupplier.class, "VectorWidth");
    private static volatile boolean enabled = WIDTH != null
            && switchedOn(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));

    private VectorSupport() {
    }

    /** True when the Vector API can be used in this JVM (the module is present and links). */
    public static boolean available() {
        return WIDTH != null;
    }

    /** True when the kernels use the Vector API now: available and not switched off. */
    public static boolean enabled() {
        return enabled;
    }

    /**
     * Switches the Vector API on (when {@link #available()}) or off for every kernel, from the
     * next call on; returns the {@link #path()} now in use.
     */
    public static String use(boolean vector) {
        enabled = vector && available();
        return path();
    }

    /** {@code "vector-<bits>"} when the kernels use the Vector API, else {@code "scalar"}. */
    public static String path() {
        return enabled ? "vector-" + WIDTH.getAsInt() : "scalar";
    }

    /**
     * An instance of the Vector API kernel {@code dev.oneshot.core.kernels.<simpleName>} (public
     * or package-private, with a no-argument constructor), or null when the module is absent or
     * the class does not load. The class is named only as a string, so it is linked only here,
     * and only when the module is present.
     */
    static <T> T load(Class<T> type, String simpleName) {
        if (!MODULE_PRESENT) {
            return null;
        }
        try {
            Class<?> c = Class.forName(VectorSupport.class.getPackageName() + "." + simpleName);
            return type.cast(c.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null;
        }
    }

    /** {@code vectorKernel} when the Vector API is enabled, else null (the caller runs its scalar path). */
    static <T> T ifEnabled(T vectorKernel) {
        return enabled ? vectorKernel : null;
    }

    /** The path a facade runs: {@link #path()} when its vector kernel loaded and is enabled, else "scalar". */
    static String pathOf(Object vectorKernel) {
        return ifEnabled(vectorKernel) != null ? path() : "scalar";
    }

    /**
     * The switch from the property value, or else the environment value (null or blank = unset):
     * true unless it says {@code false}/{@code 0}/{@code off}. A value that is none of those nor
     * {@code true}/{@code 1}/{@code on} is reported on stderr, naming its source, and ignored.
     */
    static boolean switchedOn(String property, String environment) {
        return KernelSwitch.on(PROPERTY, property, ENVIRONMENT, environment, "the Vector API (where available)");
    }
}
