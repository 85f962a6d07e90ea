package dev.oneshot.nn;

import java.util.Locale;
import java.util.Map;

/**
 * Renders a module tree the way PyTorch prints a model, plus parameter counts:
 * <pre>
 * Sequential(
 *   (0): Conv2d(1, 32, kernel=3, stride=1, padding=1)  320 params
 *   (1): ReLU()
 * )  320 params
 * Total parameters: 320</pre>
 */
final class ModulePrinter {
    private ModulePrinter() {
    }

    static String render(Module module) {
        StringBuilder sb = new StringBuilder();
        appendTree(module, sb, "");
        return sb.append("\nTotal parameters: ").append(count(module.parameterCount())).toString();
    }

    private static void appendTree(Module m, StringBuilder sb, String indent) {
        sb.append(m.getClass().getSimpleName()).append('(').append(m.extraRepr());
        Map<String, Module> children = m.namedChildren();
        if (children.isEmpty()) {
            sb.append(')');
        } else {
            sb.append('\n');
            for (Map.Entry<String, Module> e : children.entrySet()) {
                sb.append(indent).append("  (").append(e.getKey()).append("): ");
                appendTree(e.getValue(), sb, indent + "  ");
                sb.append('\n');
            }
            sb.append(indent).append(')');
        }
        long n = m.parameterCount();
        if (n > 0) {
            sb.append("  ").append(count(n)).append(n == 1 ? " param" : " params");
        }
    }

    /** 62730 → "62,730" whatever the default locale. */
    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
