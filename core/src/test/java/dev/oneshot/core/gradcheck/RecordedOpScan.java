package dev.oneshot.core.gradcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds, in Java source, every op that records a graph node — every call {@code Node.record(op, ...)}
 * — and the op name(s) it records, so that a coverage test can demand a gradient-check row for each.
 *
 * <p><b>Why read the source, not a runtime registry.</b> A registry filled as {@code Node.record}
 * runs knows only the ops something executed; the op we want to find is exactly the new one that
 * no row executes. A registry declared by hand (the old test's list of op enums) misses every op
 * recorded outside it. The source holds every call site whether or not anything runs it.
 *
 * <p><b>Reading the name.</b> Comments are skipped and string contents are not mistaken for code.
 * The first argument of each call must be one of
 * <ul>
 *   <li>a string literal: {@code Node.record("pow", ...)};</li>
 *   <li>a {@code String} variable or constant of the same file initialised from literals only,
 *       every literal counting: {@code static final String OP = "conv2d"},
 *       {@code String op = max ? "max" : "min"};</li>
 *   <li>a {@code String} field of an enum assigned from a constructor parameter
 *       ({@code this.opName = opName}): each constant's literal argument in that position counts
 *       ({@code NEG("neg")}).</li>
 * </ul>
 * Anything else — a concatenation, a method call, a name from another file — is reported as a
 * problem naming the file and line, as are a static import of {@code Node.record} (a bare
 * {@code record(} call the scan would not see) and a call of {@code Tensor.fromNode} outside
 * {@code Node}: the scan fails closed, never silently skips a call.
 *
 * <p>Public in core's test jar so that app's tests can hold {@code oneshot gradcheck} to the same
 * rule for the ops nn and siamese record.
 */
public final class RecordedOpScan {
    /** One op name recorded at a call site. */
    public record Site(String op, String file, int line) {
        @Override
        public String toString() {
            return op + " (" + file + ":" + line + ")";
        }
    }

    /** The sites found and the calls whose op name could not be read. */
    public record Result(List<Site> sites, List<String> problems) {
    }

    private static final Pattern CALL = Pattern.compile("\\bNode\\s*\\.\\s*record\\s*\\(");
    private static final Pattern STATIC_IMPORT = Pattern.compile(
            "\\bimport\\s+static\\s+[\\w.]*\\bNode\\s*\\.\\s*(record|\\*)\\s*;");
    private static final Pattern FROM_NODE = Pattern.compile("(\\bTensor\\s+)?\\bfromNode\\s*\\(");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*(\\s*\\.\\s*[A-Za-z_$][\\w$]*)*");

    private RecordedOpScan() {
    }

    /** Scans every {@code .java} file under {@code root}; files are named by their path as given. */
    public static Result scanTree(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("RecordedOpScan: source folder " + root.toAbsolutePath()
                    + " does not exist (run from the module's folder, or set -Dbasedir)");
        }
        List<Site> sites = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Result r = scanSource(p.toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
                sites.addAll(r.sites());
                problems.addAll(r.problems());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("RecordedOpScan: reading " + root, e);
        }
        return new Result(List.copyOf(sites), List.copyOf(problems));
    }

    /** Scans one file's text; {@code file} names it in sites and problems. */
    public static Result scanSource(String file, String source) {
        JavaText text = JavaText.of(source);
        List<Site> sites = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (STATIC_IMPORT.matcher(text.bare()).find()) {
            problems.add(file + ": imports Node.record statically; call Node.record(...) qualified so the "
                    + "gradient-check coverage scan sees every recorded op");
        }
        Matcher fromNode = FROM_NODE.matcher(text.bare());
        while (fromNode.find()) {
            if (fromNode.group(1) == null && !file.endsWith("/Node.java") && !file.equals("Node.java")) {
                problems.add(file + ":" + text.lineOf(fromNode.start()) + ": calls Tensor.fromNode directly; "
                        + "record ops through Node.record so the gradient-check coverage scan sees them");
            }
        }
        Matcher call = CALL.matcher(text.bare());
        while (call.find()) {
            int line = text.lineOf(call.start());
            int start = call.end();
            int end = text.endOfArgument(start);
            String argument = text.code().substring(start, end).strip();
            List<String> names = resolve(argument, text);
            if (names.isEmpty()) {
                problems.add(file + ":" + line + ": cannot read the op name of Node.record(" + argument + ", ...); "
                        + "pass a string literal, a String constant or local initialised from literals, or an "
                        + "enum field set from literal constructor arguments");
            }
            for (String name : names) {
                sites.add(new Site(name, file, line));
            }
        }
        return new Result(List.copyOf(sites), List.copyOf(problems));
    }

    /** The op names an argument expression can take, or an empty list if the scan cannot tell. */
    private static List<String> resolve(String argument, JavaText text) {
        Matcher literal = LITERAL.matcher(argument);
        if (literal.matches()) {
            return List.of(literal.group(1));
        }
        if (!IDENTIFIER.matcher(argument).matches()) {
            return List.of();
        }
        String[] path = argument.split("\\s*\\.\\s*");
        String id = path[path.length - 1];
        List<String> declared = fromStringDeclarations(id, text);
        return declared != null ? declared : fromEnumField(id, text);
    }

    /**
     * Literals of every {@code String id = ...;} in the file (all must be free of '+'), or null if
     * there is none, or an empty list if one is not built from literals only.
     */
    private static List<String> fromStringDeclarations(String id, JavaText text) {
        Matcher decl = Pattern.compile("\\bString\\s+" + Pattern.quote(id) + "\\s*=([^;]*);").matcher(text.bare());
        List<String> names = new ArrayList<>();
        boolean any = false;
        while (decl.find()) {
            any = true;
            String bareInit = decl.group(1);
            List<String> literals = literals(text.code().substring(decl.start(1), decl.end(1)));
            if (bareInit.contains("+") || literals.isEmpty()) {
                return List.of();
            }
            names.addAll(literals);
        }
        return any ? names : null;
    }

    /** For an enum field {@code id} set by {@code this.id = param}: each constant's literal argument. */
    private static List<String> fromEnumField(String id, JavaText text) {
        String bare = text.bare();
        Matcher enumDecl = Pattern.compile("\\benum\\s+(\\w+)[^{]*\\{").matcher(bare);
        Matcher assign = Pattern.compile("\\bthis\\s*\\.\\s*" + Pattern.quote(id) + "\\s*=\\s*(\\w+)\\s*;").matcher(bare);
        if (!enumDecl.find() || !assign.find()
                || !Pattern.compile("\\bString\\s+" + Pattern.quote(id) + "\\s*;").matcher(bare).find()) {
            return List.of();
        }
        Matcher ctor = Pattern.compile("\\b" + Pattern.quote(enumDecl.group(1)) + "\\s*\\(").matcher(bare);
        if (!ctor.find(enumDecl.end())) {
            return List.of();
        }
        List<String> params = text.arguments(ctor.end(), text.endOfParenthesis(ctor.end()));
        int position = -1;
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).matches("(final\\s+)?String\\s+" + Pattern.quote(assign.group(1)))) {
                position = i;
            }
        }
        if (position < 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Matcher constant = Pattern.compile("\\s*([A-Z][A-Z0-9_]*)\\s*(\\()?").matcher(bare);
        int pos = enumDecl.end();
        while (constant.region(pos, bare.length()).lookingAt() && constant.group(2) != null) {
            int argsEnd = text.endOfParenthesis(constant.end());
            List<String> args = text.arguments(constant.end(), argsEnd);
            Matcher lit = position < args.size() ? LITERAL.matcher(args.get(position)) : null;
            if (lit == null || !lit.matches()) {
                return List.of();
            }
            names.add(lit.group(1));
            pos = text.skipBlock(text.skipSpace(argsEnd + 1));
            pos = text.skipSpace(pos);
            if (pos >= bare.length() || bare.charAt(pos) != ',') {
                return names;
            }
            pos = text.skipSpace(pos + 1);
            if (pos < bare.length() && (bare.charAt(pos) == ';' || bare.charAt(pos) == '}')) {
                return names; // a trailing comma after the last constant
            }
        }
        // a constant without a literal argument in that position (or none at all): cannot tell
        return List.of();
    }

    private static List<String> literals(String code) {
        List<String> out = new ArrayList<>();
        Matcher m = LITERAL.matcher(code);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
