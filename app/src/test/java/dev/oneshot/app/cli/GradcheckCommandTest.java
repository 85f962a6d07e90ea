package dev.oneshot.app.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradcheckCommandTest {
    @Test
    void everyCheckIsOkAndTheJsonHasOneRowPerCheck() {
        Cli.Result r = Cli.run("gradcheck", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        String json = r.out().trim();
        assertTrue(json.startsWith("{\"checks\":[") && json.endsWith("}"), json);
        assertEquals(1, json.lines().count(), "exactly one JSON line");
        int rows = count(json, "\"name\":");
        assertEquals(GradcheckCatalog.all().size(), rows);
        assertFalse(json.contains("\"ok\":false"), json);
        for (String kind : new String[] {"op", "layer", "loss", "negative-control"}) {
            assertTrue(json.contains("\"kind\":\"" + kind + "\""), kind);
        }
        assertTrue(count(json, "\"kind\":\"negative-control\"") >= 3);
        for (String name : new String[] {"conv2d", "maxPool2d k2 s2", "BatchNorm2d train", "TripletLoss indexed (mined)",
                "ContrastiveLoss mean", "BinaryVerificationHead (Koch)", "PrototypicalLoss 1 shot", "PrototypicalLoss 2 shots",
                "transposed gradient"}) {
            assertTrue(json.contains("\"name\":\"" + name + "\""), name);
        }
    }

    @Test
    void tableSaysCaughtForTheNegativeControls() {
        Cli.Result r = Cli.run("gradcheck");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("PASS (caught)"), r.out());
        assertTrue(r.out().contains("0 not ok"), r.out());
    }

    @Test
    void aNegativeControlIsNotOkWhenTheCheckerPassesIt() {
        GradcheckCatalog.Check c = new GradcheckCatalog.Check("x", GradcheckCatalog.Kind.NEGATIVE_CONTROL, null);
        assertFalse(c.ok(new dev.oneshot.core.gradcheck.GradCheckReport("x", true, 0, "", java.util.List.of())));
        assertEquals(0.5, GradcheckCommand.relativeError("input 0 element 1: analytic 1.0 vs numerical 2.0"), 1e-12);
    }

    @Test
    void positionalArgumentIsAUsageError() {
        Cli.Result r = Cli.run("gradcheck", "relu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unexpected argument 'relu'"), r.err());
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
