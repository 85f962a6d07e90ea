package dev.oneshot.core.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JsonObject}: each accessor's value, and the exact text of each error. */
class JsonObjectTest {
    private static final String WHERE = "runs/m/model.safetensors: oneshot.card";

    private enum Kind { TRIPLET, CONTRASTIVE, BINARY }

    private enum Miner { RANDOM, SEMI_HARD, BATCH_HARD }

    private static final JsonObject CARD = JsonObject.parse("""
            {"name":"m","batch":32,"lr":0.001,"steps":-3,"big":9007199254740993,"half":1.5,"normalize":true,
             "kind":"Contrastive","miner":"batch-hard","none":null,"sizes":[28,29],"names":["a","b"],
             "recipe":{"batch":{"p":7,"k":"16"}},"text":"abc","list":[1,{"x":2}]}
            """, WHERE);

    private static void fails(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void strings() {
        assertEquals("m", CARD.string("name"));
        assertEquals("fallback", CARD.string("absent", "fallback"));
        assertEquals("fallback", CARD.string("none", "fallback"));
        assertEquals("abc", CARD.string("text", "fallback"));
        fails(WHERE + ".batch: expected a string, got 32", () -> CARD.string("batch"));
        fails(WHERE + ".sizes: expected a string, got an array", () -> CARD.string("sizes", "x"));
        fails(WHERE + ".none: expected a string, got null", () -> CARD.string("none"));
        fails(WHERE + ": missing field 'title'", () -> CARD.string("title"));
    }

    @Test
    void integers() {
        assertEquals(32, CARD.integer("batch", 2, 1000));
        assertEquals(-3, CARD.integer("steps", -5, 5));
        assertEquals(64, CARD.integer("absent", 64, 2, 1000));
        assertEquals(64, CARD.integer("none", 64, 2, 1000));
        fails(WHERE + ".half: expected an integer between 2 and 1000, got 1.5", () -> CARD.integer("half", 2, 1000));
        fails(WHERE + ".batch: expected an integer between 2 and 10, got 32", () -> CARD.integer("batch", 2, 10));
        fails(WHERE + ".text: expected an integer between 2 and 1000, got a string \"abc\"",
                () -> CARD.integer("text", 7, 2, 1000));
        fails(WHERE + ".big: expected an integer between -2147483648 and 2147483647, got 9007199254740993",
                () -> CARD.integer("big", Integer.MIN_VALUE, Integer.MAX_VALUE));
        fails(WHERE + ": missing field 'epochs'", () -> CARD.integer("epochs", 1, 10));
    }

    @Test
    void integersMustBeWrittenAsIntegers() {
        JsonObject o = JsonObject.parse("{\"a\":2.0,\"b\":1e2}", "cfg");
        fails("cfg.a: expected an integer between 0 and 10, got 2.0", () -> o.integer("a", 0, 10));
        fails("cfg.b: expected an integer between 0 and 1000, got 1e2", () -> o.integer("b", 0, 1000));
    }

    @Test
    void longs() {
        assertEquals(9007199254740993L, CARD.longValue("big"));
        assertEquals(-3L, CARD.longValue("steps", 5L));
        assertEquals(5L, CARD.longValue("absent", 5L));
        fails(WHERE + ".half: expected a 64-bit integer, got 1.5", () -> CARD.longValue("half"));
        JsonObject o = JsonObject.parse("{\"huge\":92233720368547758070}", "cfg");
        fails("cfg.huge: expected a 64-bit integer, got 92233720368547758070", () -> o.longValue("huge"));
    }

    @Test
    void numbers() {
        assertEquals(0.001, CARD.number("lr", 0, 1));
        assertEquals(32.0, CARD.number("batch", 0, Double.POSITIVE_INFINITY));
        assertEquals(0.5, CARD.number("absent", 0.5, 0, 1));
        assertEquals(1.5, CARD.number("half", 0.5, 0, 2));
        fails(WHERE + ".half: expected a number between 0 and 1, got 1.5", () -> CARD.number("half", 0, 1));
        fails(WHERE + ".half: expected a number between 1.0E-9 and 0.5, got 1.5", () -> CARD.number("half", 1e-9, 0.5));
        fails(WHERE + ".steps: expected a number of at least 0, got -3",
                () -> CARD.number("steps", 0, Double.POSITIVE_INFINITY));
        fails(WHERE + ".half: expected a number of at most -1, got 1.5",
                () -> CARD.number("half", Double.NEGATIVE_INFINITY, -1));
        fails(WHERE + ".normalize: expected a number between 0 and 1, got true", () -> CARD.number("normalize", 0, 1));
        JsonObject o = JsonObject.parse("{\"x\":1e999}", "cfg");
        fails("cfg.x: expected a finite number, got 1e999",
                () -> o.number("x", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    }

    @Test
    void booleans() {
        assertTrue(CARD.bool("normalize"));
        assertTrue(CARD.bool("normalize", false));
        assertFalse(CARD.bool("absent", false));
        fails(WHERE + ".text: expected true or false, got a string \"abc\"", () -> CARD.bool("text"));
        fails(WHERE + ".recipe: expected true or false, got an object", () -> CARD.bool("recipe", true));
    }

    @Test
    void nestedObjectsExtendTheWhere() {
        JsonObject batch = CARD.object("recipe").object("batch");
        assertEquals(WHERE + ".recipe.batch", batch.where());
        assertEquals(7, batch.integer("p", 1, 100));
        fails(WHERE + ".recipe.batch.k: expected an integer between 1 and 100, got a string \"16\"",
                () -> batch.integer("k", 1, 100));
        fails(WHERE + ".recipe.batch: missing field 'q'", () -> batch.integer("q", 1, 100));
        fails(WHERE + ".sizes: expected an object, got an array", () -> CARD.object("sizes"));
    }

    @Test
    void arrays() {
        assertEquals(List.of(new Json.Num("28"), new Json.Num("29")), CARD.array("sizes"));
        assertArrayEquals(new int[] {28, 29}, CARD.intArray("sizes", 1, 1000));
        assertEquals(List.of("a", "b"), CARD.stringList("names"));
        fails(WHERE + ".text: expected an array, got a string \"abc\"", () -> CARD.array("text"));
        fails(WHERE + ".sizes[1]: expected an integer between 1 and 28, got 29", () -> CARD.intArray("sizes", 1, 28));
        fails(WHERE + ".sizes[0]: expected a string, got 28", () -> CARD.stringList("sizes"));
        fails(WHERE + ".list[1]: expected an integer between 0 and 9, got an object", () -> CARD.intArray("list", 0, 9));
        JsonObject inner = JsonObject.of(CARD.array("list").get(1), CARD.where() + ".list[1]");
        assertEquals(WHERE + ".list[1]", inner.where());
        assertEquals(2, inner.integer("x", 0, 9));
    }

    @Test
    void enumsMatchIgnoringCaseWithDashesAsUnderscores() {
        assertEquals(Kind.CONTRASTIVE, CARD.enumValue("kind", Kind.class));
        assertEquals(Miner.BATCH_HARD, CARD.enumValue("miner", Miner.class));
        JsonObject o = JsonObject.parse("{\"a\":\"semi_HARD\",\"b\":\"tripplet\",\"c\":3}", "cfg");
        assertEquals(Miner.SEMI_HARD, o.enumValue("a", Miner.class));
        assertEquals(Kind.BINARY, o.enumValue("absent", Kind.class, Kind.BINARY));
        fails("cfg.b: expected one of triplet, contrastive, binary, got 'tripplet'", () -> o.enumValue("b", Kind.class));
        fails("cfg.b: expected one of random, semi-hard, batch-hard, got 'tripplet'",
                () -> o.enumValue("b", Miner.class, Miner.RANDOM));
        fails("cfg.c: expected one of triplet, contrastive, binary, got 3", () -> o.enumValue("c", Kind.class));
        fails("cfg: missing field 'd'", () -> o.enumValue("d", Kind.class));
    }

    @Test
    void nullIsPresentButNotHad() {
        assertTrue(CARD.keys().contains("none"));
        assertFalse(CARD.has("none"));
        assertFalse(CARD.has("absent"));
        assertTrue(CARD.has("name"));
        assertEquals(Json.NULL, CARD.values().get("none"));
        assertFalse(CARD.values().containsKey("absent"));
    }

    @Test
    void requireOnlyNamesTheFirstUnknownField() {
        JsonObject o = JsonObject.parse("{\"name\":\"x\",\"bach\":32,\"stpes\":1}", WHERE);
        fails(WHERE + ": unknown field 'bach' (known: name, batch, steps)", () -> o.requireOnly("name", "batch", "steps"));
        o.requireOnly("name", "bach", "stpes", "batch");
    }

    @Test
    void keysAndValuesAreReadOnlyInFileOrder() {
        JsonObject o = JsonObject.parse("{\"z\":1,\"a\":[2]}", "cfg");
        assertEquals(List.of("z", "a"), List.copyOf(o.keys()));
        assertThrows(UnsupportedOperationException.class, () -> o.values().put("b", 1));
        assertThrows(UnsupportedOperationException.class, () -> o.keys().remove("z"));
        assertEquals("{\"z\":1,\"a\":[2]}", Json.write(o.values()));
        assertEquals("{\"z\":1,\"a\":[2]}", o.toString());
    }

    @Test
    void parseAndOfNameWhereAndWhatWasFound() {
        fails("cfg: expected a JSON object, got an array", () -> JsonObject.parse("[1]", "cfg"));
        fails("cfg: expected a JSON object, got a string \"x\"", () -> JsonObject.of("x", "cfg"));
        fails("cfg: not valid JSON: duplicate key \"a\" at character 7", () -> JsonObject.parse("{\"a\":1,\"a\":2}", "cfg"));
        fails("cfg: expected a JSON object, got a map with a key of java.lang.Integer",
                () -> JsonObject.of(Map.of(1, 2), "cfg"));
        assertEquals(Set.of("k"), JsonObject.of(Map.of("k", "v"), "cfg").keys());
    }

    @Test
    void parseUsesTheDefaultDepthLimit() {
        String deep64 = "{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}";
        assertEquals(Set.of("a"), JsonObject.parse(deep64, "cfg").keys());
        String deep65 = "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}";
        fails("cfg: not valid JSON: nesting deeper than 64 levels at character 68", () -> JsonObject.parse(deep65, "cfg"));
    }
}
