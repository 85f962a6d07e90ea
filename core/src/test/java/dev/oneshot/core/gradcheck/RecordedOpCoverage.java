package dev.oneshot.core.gradcheck;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which recorded ops a table of gradient checks covers. An op counts as covered when its name
 * appears in the graph some row builds — read from the graph itself, not from the row's label,
 * so a row called "mean" covers the {@code sum} and {@code mul} it records and nothing else.
 */
public final class RecordedOpCoverage {
    private RecordedOpCoverage() {
    }

    /** The op names of every node reachable from {@code root} (iterative walk, identity-visited). */
    public static Set<String> opsInGraph(Tensor root) {
        Set<String> names = new TreeSet<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            Node node = t.gradFn();
            if (node == null || !seen.add(t)) {
                continue;
            }
            names.add(node.op());
            for (Tensor in : node.inputs()) {
                if (in != null) {
                    todo.push(in);
                }
            }
        }
        return names;
    }

    /** The op names the rows' graphs record, each row built once on fresh inputs. */
    public static Set<String> coveredBy(List<OpCheck> rows) {
        Set<String> covered = new TreeSet<>();
        for (OpCheck row : rows) {
            covered.addAll(opsInGraph(row.op().apply(row.freshInputs())));
        }
        return covered;
    }

    /**
     * One line per recorded site whose op has no row, naming the op, the file and line, and the
     * table to add a row to; empty when every site is covered.
     */
    public static List<String> uncovered(List<RecordedOpScan.Site> sites, Set<String> covered, String table) {
        List<String> missing = new ArrayList<>();
        for (RecordedOpScan.Site s : sites) {
            if (!covered.contains(s.op())) {
                missing.add("op \"" + s.op() + "\" recorded at " + s.file() + ":" + s.line()
                        + " has no gradient-check row in " + table);
            }
        }
        return missing;
    }
}
