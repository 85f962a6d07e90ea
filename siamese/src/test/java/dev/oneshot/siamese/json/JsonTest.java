package dev.oneshot.siamese.json;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    @Test
    void objectKeepsInsertionOrderAndTypes() {
        String json = Json.object().put("z", 1).put("a", 0.5).put("ok", true).put("name", "x")
                .put("nested", Json.object().put("k", 2L)).put("xs", new double[] {1, 0.25})
                .put("ns", new int[] {3, 4}).putNull("none").toString();
        assertEquals("{\"z\":1,\"a\":0.5,\"ok\":true,\"name\":\"x\",\"nested\":{\"k\":2},"
                + "\"xs\":[1.0,0.25],\"ns\":[3,4],\"none\":null}", json);
        assertEquals("{}", Json.object().toString());
    }

    @Test
    void nonFiniteNumbersAreNull() {
        assertEquals("null", Json.number(Double.NaN));
        assertEquals("null", Json.number(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.number(Double.NEGATIVE_INFINITY));
        assertEquals("[null,-2.0,1.0E-4]", Json.array(new double[] {Double.NaN, -2, 1e-4}));
        assertEquals("{\"t\":null}", Json.object().put("t", Double.NEGATIVE_INFINITY).toString());
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001/é\"", Json.string("a\"b\\c\n\r\t\b\f\u0001/é"));
        assertEquals("null", Json.string(null));
        assertEquals("{\"k\\\"ey\":\"v\"}", Json.object().put("k\"ey", "v").toString());
    }

    @Test
    void duplicateKeysAreRejected() {
        Json.Obj o = Json.object().put("a", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.put("a", 2));
        assertEquals("Json: duplicate key \"a\"", e.getMessage());
    }
}
