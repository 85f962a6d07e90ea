package dev.oneshot.siamese.gallery;

import dev.oneshot.siamese.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The identity names as a JSON array of strings (RFC 8259), e.g. {@code ["alice","b\"ob"]}:
 * any name survives, including quotes, commas and newlines. Only arrays of strings are read.
 */
final class JsonNames {
    private JsonNames() {
    }

    static String encode(List<String> names) {
        return Json.write(names);
    }

    static List<String> decode(String json) {
        List<String> out = new ArrayList<>();
        int[] pos = {skip(json, 0)};
        expect(json, pos, '[');
        pos[0] = skip(json, pos[0]);
        if (pos[0] < json.length() && json.charAt(pos[0]) == ']') {
            pos[0]++;
        } else {
            while (true) {
                out.add(string(json, pos));
                pos[0] = skip(json, pos[0]);
                if (pos[0] < json.length() && json.charAt(pos[0]) == ',') {
                    pos[0] = skip(json, pos[0] + 1);
                    continue;
                }
                expect(json, pos, ']');
                break;
            }
        }
        if (skip(json, pos[0]) != json.length()) {
            throw bad(json, pos[0], "trailing characters");
        }
        return out;
    }

    private static String string(String s, int[] pos) {
        expect(s, pos, '"');
        StringBuilder sb = new StringBuilder();
        int i = pos[0];
        while (true) {
            if (i >= s.length()) {
                throw bad(s, i, "unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw bad(s, i, "unterminated escape");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw bad(s, i, "short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw bad(s, i, "bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw bad(s, i - 1, "bad escape \\" + e);
            }
        }
        pos[0] = i;
        return sb.toString();
    }

    private static void expect(String s, int[] pos, char c) {
        if (pos[0] >= s.length() || s.charAt(pos[0]) != c) {
            throw bad(s, pos[0], "expected '" + c + "'");
        }
        pos[0]++;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static IllegalArgumentException bad(String s, int at, String why) {
        return new IllegalArgumentException("gallery identities: not a JSON array of strings (" + why
                + " at character " + at + ")");
    }
}
