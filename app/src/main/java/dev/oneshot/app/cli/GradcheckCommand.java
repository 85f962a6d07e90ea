package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.gradcheck.GradCheckReport;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code oneshot gradcheck}: every op, layer and loss against finite differences, plus negative controls. */
final class GradcheckCommand implements Command {
    @Override
    public String name() {
        return "gradcheck";
    }

    @Override
    public String summary() {
        return "check every op, layer and loss gradient against finite differences (+ negative controls)";
    }

    static final Option<Boolean> JSON = Option.flag("json",
            "{\"checks\": [{\"name\", \"kind\", \"max_rel_error\", \"max_abs_error\", \"ok\"}], \"passed\", \"failed\"}");

    @Override
    public Options options() {
        return new Options("[--json]", """
                Full-Jacobian finite-difference checks (GradCheck: step 1e-2, atol 1e-4 + rtol 2e-3, plus
                determinism and zero-upstream checks) of every core op, nn layer and loss and Siamese loss,
                and negative controls: deliberately wrong backwards, ok when the checker CATCHES them.
                Columns: max |analytic − numerical| over the Jacobian, and the relative error
                |a − n| / max(|a|, |n|) at the entry closest to its tolerance. Exit 1 if any check is not ok.
                """, List.of(JSON));
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        boolean json = args.get(JSON);
        List<Object> rows = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        if (!json) {
            out.printf("%-44s %-16s %10s %10s  %s%n", "check", "kind", "max |err|", "rel err", "result");
        }
        for (GradcheckCatalog.Check c : GradcheckCatalog.all()) {
            GradCheckReport r;
            boolean ok;
            String note = "";
            try {
                r = c.run().get();
                ok = c.ok(r);
            } catch (RuntimeException e) {
                r = new GradCheckReport(c.name(), false, Double.NaN, "", List.of(Main.oneLine(e)));
                ok = false;
                note = "  (" + Main.oneLine(e) + ")";
            }
            failed += ok ? 0 : 1;
            double rel = relativeError(r.worstEntry());
            if (json) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", c.name());
                row.put("kind", c.kind().label());
                row.put("max_rel_error", rel);
                row.put("max_abs_error", r.maxAbsError());
                row.put("ok", ok);
                rows.add(row);
            } else {
                String result = c.kind() == GradcheckCatalog.Kind.NEGATIVE_CONTROL
                        ? (ok ? "PASS (caught)" : "FAIL (not caught)") : (ok ? "PASS" : "FAIL");
                out.printf(Locale.ROOT, "%-44s %-16s %10.2e %10.2e  %s%s%n", c.name(), c.kind().label(),
                        r.maxAbsError(), rel, result, note.isEmpty() && !ok && !r.failures().isEmpty()
                                && c.kind() != GradcheckCatalog.Kind.NEGATIVE_CONTROL ? "  (" + r.failures().get(0) + ")" : note);
            }
        }
        int total = GradcheckCatalog.all().size();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checks", rows);
            o.put("passed", total - failed);
            o.put("failed", failed);
            o.put("seconds", seconds);
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "%d checks, %d ok, %d not ok (%.1f s)%n", total, total - failed, failed, seconds);
        }
        return failed == 0 ? Main.OK : Main.FAILURE;
    }

    /** |a − n| / max(|a|, |n|) from the report's worst entry ("...: analytic A vs numerical N"); NaN if absent. */
    static double relativeError(String worstEntry) {
        int a = worstEntry.lastIndexOf("analytic ");
        int v = worstEntry.lastIndexOf(" vs numerical ");
        if (a < 0 || v < a) {
            return Double.NaN;
        }
        try {
            double an = Double.parseDouble(worstEntry.substring(a + 9, v).trim());
            double nu = Double.parseDouble(worstEntry.substring(v + 14).trim());
            double scale = Math.max(Math.abs(an), Math.abs(nu));
            return scale == 0 ? 0 : Math.abs(an - nu) / scale;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
