package dev.oneshot.nn.persist;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.BatchNorm1d;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.ConcatBranches;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Dropout;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.L2Normalize;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.nn.layers.Sigmoid;
import dev.oneshot.nn.layers.Tanh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Architecture strings: the text form of a module tree stored in model files, and the
 * registry that rebuilds a module from it.
 *
 * <p>Every module describes itself with {@link Module#spec()}, e.g.
 * <pre>  Sequential[Conv2d(1,32,k=3,s=1,p=1,bias=true),ReLU,MaxPool2d(k=2,s=2),Flatten,Linear(3136,128,bias=true)]</pre>
 * Grammar (spaces are ignored):
 * <pre>
 *   spec     := kind [ '(' args ')' ] [ '[' [ spec { ',' spec } ] ']' ]
 *   args     := arg { ',' arg }          positional arguments first
 *   arg      := value | key '=' value
 *   kind,key := letters, digits, '_'
 *   value    := letters, digits, '_', '.', '+', '-'   (ints, decimals, true/false)
 * </pre>
 * Built-in kinds and their arguments (defaults in brackets):
 * <pre>
 *   Sequential[...]   Linear(in,out,bias=[true])   Conv2d(in,out,k=,s=[1],p=[0],bias=[true])
 *   MaxPool2d(k=,s=[k])   Dropout(p=)   BatchNorm1d(n,eps=[1e-5],momentum=[0.1])   BatchNorm2d(...)
 *   L2Normalize(eps=[1e-12])   Flatten   ReLU   Sigmoid   Tanh   ConcatBranches[...]
 * </pre>
 * A new module kind overrides {@code spec()} and registers a factory with {@link #register};
 * a factory receives the parsed {@link LayerSpec} and a {@link SeededRandom} for whatever the
 * constructor draws (initial weights, later overwritten by the loaded ones; Dropout masks).
 * Containers build their children with {@link #build(LayerSpec, SeededRandom)}.
 */
public final class Architecture {
    private static final Map<String, BiFunction<LayerSpec, SeededRandom, Module>> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("Sequential", (s, rng) -> {
            Sequential seq = new Sequential();
            if (!s.positional().isEmpty() || !s.named().isEmpty()) {
                throw s.error("takes no arguments");
            }
            for (LayerSpec c : s.children()) {
                seq.add(build(c, rng));
            }
            return seq;
        });
        register("ConcatBranches", (s, rng) -> {
            if (!s.positional().isEmpty() || !s.named().isEmpty()) {
                throw s.error("takes no arguments");
            }
            if (s.children().isEmpty()) {
                throw s.error("needs at least one branch");
            }
            Module[] branches = new Module[s.children().size()];
            for (int i = 0; i < branches.length; i++) {
                branches[i] = build(s.children().get(i), rng);
            }
            return new ConcatBranches(branches);
        });
        register("Linear", (s, rng) -> new Linear(s.allowOnly(2, "bias").intAt(0), s.intAt(1),
                s.boolArg("bias", true), rng));
        register("Conv2d", (s, rng) -> new Conv2d(s.allowOnly(2, "k", "s", "p", "bias").intAt(0), s.intAt(1),
                s.intArg("k"), s.intArg("s", 1), s.intArg("p", 0), s.boolArg("bias", true), rng));
        register("MaxPool2d", (s, rng) -> {
            int k = s.allowOnly(0, "k", "s").intArg("k");
            return new MaxPool2d(k, s.intArg("s", k));
        });
        register("Dropout", (s, rng) -> new Dropout(s.allowOnly(0, "p").doubleArg("p"), rng));
        register("BatchNorm1d", (s, rng) -> new BatchNorm1d(s.allowOnly(1, "eps", "momentum").intAt(0),
                s.doubleArg("eps", 1e-5), s.doubleArg("momentum", 0.1)));
        register("BatchNorm2d", (s, rng) -> new BatchNorm2d(s.allowOnly(1, "eps", "momentum").intAt(0),
                s.doubleArg("eps", 1e-5), s.doubleArg("momentum", 0.1)));
        register("L2Normalize", (s, rng) -> new L2Normalize((float) s.allowOnly(0, "eps").doubleArg("eps", 1e-12)));
        register("Flatten", (s, rng) -> { s.allowOnly(0); return new Flatten(); });
        register("ReLU", (s, rng) -> { s.allowOnly(0); return new ReLU(); });
        register("Sigmoid", (s, rng) -> { s.allowOnly(0); return new Sigmoid(); });
        register("Tanh", (s, rng) -> { s.allowOnly(0); return new Tanh(); });
    }

    private Architecture() {
    }

    /** Adds (or replaces) the factory for modules whose spec starts with {@code kind}. */
    public static void register(String kind, BiFunction<LayerSpec, SeededRandom, Module> factory) {
        FACTORIES.put(kind, factory);
    }

    /** Parses and builds; the module has fresh (random) weights. */
    public static Module build(String architecture, SeededRandom rng) {
        return build(parse(architecture), rng);
    }

    /** Builds one parsed spec (and, for containers, its children). */
    public static Module build(LayerSpec spec, SeededRandom rng) {
        BiFunction<LayerSpec, SeededRandom, Module> f = FACTORIES.get(spec.kind());
        if (f == null) {
            throw new IllegalArgumentException("unknown module kind '" + spec.kind() + "' (known: "
                    + new java.util.TreeSet<>(FACTORIES.keySet()) + "; register it with Architecture.register)");
        }
        return f.apply(spec, rng);
    }

    /** Parses an architecture string, failing with the position of the first syntax error. */
    public static LayerSpec parse(String text) {
        Parser p = new Parser(text.replaceAll("\\s+", ""));
        LayerSpec s = p.spec();
        if (p.pos != p.s.length()) {
            throw p.error("unexpected '" + p.s.charAt(p.pos) + "'");
        }
        return s;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        LayerSpec spec() {
            String kind = token(false);
            if (kind.isEmpty()) {
                throw error("expected a module kind");
            }
            List<String> positional = new ArrayList<>();
            Map<String, String> named = new LinkedHashMap<>();
            List<LayerSpec> children = new ArrayList<>();
            if (accept('(')) {
                do {
                    String first = token(true);
                    if (accept('=')) {
                        if (named.put(first, token(true)) != null) {
                            throw error("argument '" + first + "' given twice");
                        }
                    } else if (!named.isEmpty()) {
                        throw error("positional argument after a named one");
                    } else {
                        positional.add(first);
                    }
                } while (accept(','));
                expect(')');
            }
            if (accept('[')) {
                if (!accept(']')) {
                    do {
                        children.add(spec());
                    } while (accept(','));
                    expect(']');
                }
            }
            return new LayerSpec(kind, positional, named, children);
        }

        String token(boolean value) {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                boolean ok = Character.isLetterOrDigit(c) || c == '_' || (value && (c == '.' || c == '+' || c == '-'));
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (value && start == pos) {
                throw error("expected a value");
            }
            return s.substring(start, pos);
        }

        boolean accept(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!accept(c)) {
                throw error("expected '" + c + "'");
            }
        }

        IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("architecture '" + s + "': " + problem + " at position " + pos);
        }
    }
}
