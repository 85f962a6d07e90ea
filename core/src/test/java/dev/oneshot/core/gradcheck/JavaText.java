package dev.oneshot.core.gradcheck;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java source file as two equally long texts for {@link RecordedOpScan}: {@link #code()} with
 * comments blanked, and {@link #bare()} with string, text-block and char literal contents blanked
 * too (quotes kept). Newlines are kept in both, so an offset means the same place in either and
 * in the original, and a pattern searched in {@code bare} never matches inside a comment or a
 * string. Not a parser: it knows just enough of the lexical grammar (JLS §3.7, §3.10.4–3.10.6)
 * to tell code from comments and literals.
 */
record JavaText(String code, String bare, String source) {

    static JavaText of(String source) {
        StringBuilder code = new StringBuilder(source.length());
        StringBuilder bare = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
                blank(source, i, end, code, bare);
                i = end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, code, bare);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = closing(source, i + 3, "\"\"\"");
                keepQuotes(source, i, end, 3, code, bare);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = closing(source, i + 1, String.valueOf(c));
                keepQuotes(source, i, end, 1, code, bare);
                i = end;
            } else {
                code.append(c);
                bare.append(c);
                i++;
            }
        }
        return new JavaText(code.toString(), bare.toString(), source);
    }

    /** The offset just past the closing delimiter, skipping backslash escapes; the end if unclosed. */
    private static int closing(String s, int from, String delimiter) {
        int i = from;
        while (i < s.length()) {
            if (s.charAt(i) == '\\') {
                i += 2;
            } else if (s.startsWith(delimiter, i)) {
                return i + delimiter.length();
            } else if (delimiter.length() == 1 && s.charAt(i) == '\n') {
                return i; // unterminated literal: stop at the line end
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** Comments: spaces in both texts (newlines kept). */
    private static void blank(String s, int from, int to, StringBuilder code, StringBuilder bare) {
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i) == '\n' ? '\n' : ' ';
            code.append(ch);
            bare.append(ch);
        }
    }

    /** Literals: verbatim in code; in bare, the delimiters kept and the contents spaces. */
    private static void keepQuotes(String s, int from, int to, int quote, StringBuilder code, StringBuilder bare) {
        code.append(s, from, to);
        for (int i = from; i < to; i++) {
            boolean delimiter = i < from + quote || i >= to - quote;
            bare.append(delimiter || s.charAt(i) == '\n' ? s.charAt(i) : ' ');
        }
    }

    /** The 1-based line of an offset. */
    int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < source.length(); i++) {
            line += source.charAt(i) == '\n' ? 1 : 0;
        }
        return line;
    }

    /** From just inside an argument list: the offset of the ',' or ')' that ends the argument at depth 0. */
    int endOfArgument(int from) {
        int depth = 0;
        for (int i = from; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return bare.length();
    }

    /** From just inside a '(': the offset of its matching ')'. */
    int endOfParenthesis(int from) {
        int i = from;
        while (i < bare.length() && bare.charAt(i) != ')') {
            i = endOfArgument(i);
            if (i < bare.length() && bare.charAt(i) == ',') {
                i++;
            }
        }
        return i;
    }

    /** The comma-separated arguments (code, stripped) between {@code from} and {@code to}; none if blank. */
    List<String> arguments(int from, int to) {
        List<String> out = new ArrayList<>();
        if (bare.substring(from, to).isBlank()) {
            return out;
        }
        int start = from;
        while (start <= to) {
            int end = Math.min(endOfArgument(start), to);
            out.add(code.substring(start, end).strip());
            start = end + 1;
        }
        return out;
    }

    /** The first offset at or after {@code from} that is not white space. */
    int skipSpace(int from) {
        int i = from;
        while (i < bare.length() && Character.isWhitespace(bare.charAt(i))) {
            i++;
        }
        return i;
    }

    /** If a '{' block starts at {@code from}, the offset just past its matching '}'; else {@code from}. */
    int skipBlock(int from) {
        if (from >= bare.length() || bare.charAt(from) != '{') {
            return from;
        }
        int depth = 0;
        for (int i = from; i < bare.length(); i++) {
            char c = bare.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth == 0) {
                return i + 1;
            }
        }
        return bare.length();
    }
}
