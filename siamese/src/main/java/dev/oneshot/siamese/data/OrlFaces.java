package dev.oneshot.siamese.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The ORL / AT&amp;T "Database of Faces" (Olivetti Research Laboratory, Cambridge, 1992–94):
 * 40 people, 10 frontal photos each with varying light, expression and glasses, 92×112
 * (W×H) grey. Laid out as {@code [prefix/]sX/Y.ext} — X the person 1–40, Y the photo 1–10 —
 * in PNG (the shared {@code orl_faces_png.zip}) or PGM (the original distribution); read from
 * a zip (nothing is extracted) or a folder.
 *
 * <p>A class is a person, named {@code sX}; classes are ordered by X as a number (s2 before
 * s10), photos by Y. Only the people in the requested range are read. Metadata per example:
 * {@link #PERSON} (X), {@link #PHOTO} (Y) and {@link #FILE} (the entry or the path relative to
 * the folder). Files that do not match the layout (a README, hidden files) are ignored.
 *
 * <p>Photos are {@link #NATIVE_HEIGHT}×{@link #NATIVE_WIDTH} (H×W); the face configuration
 * ({@code Recipes.faces()}) reads them at a quarter of that side, keeping the aspect ratio.
 */
public final class OrlFaces {
    /** Metadata key: the person's number X of {@code sX}. */
    public static final String PERSON = "person";
    /** Metadata key: the photo's number Y of {@code Y.png}. */
    public static final String PHOTO = "photo";
    /** Metadata key: where the photo came from, relative to the zip or folder. */
    public static final String FILE = "file";
    /** Height of the ORL photos. */
    public static final int NATIVE_HEIGHT = 112;
    /** Width of the ORL photos. */
    public static final int NATIVE_WIDTH = 92;

    private static final Pattern LAYOUT = Pattern.compile("(?:.*/)?s(\\d+)/(\\d+)\\.(?i:png|pgm)");

    private OrlFaces() {
    }

    /** An inclusive range of person numbers, e.g. 31–40. */
    public record People(int first, int last) {
        /** Every person of the database. */
        public static final People ALL = new People(1, 40);

        public People {
            if (first < 1 || last < first) {
                throw new IllegalArgumentException("ORL people range " + first + "-" + last
                        + " is empty or starts below 1 (expected FIRST-LAST with 1 ≤ FIRST ≤ LAST, e.g. 1-30)");
            }
        }

        /** Parses {@code "A-B"} or a single {@code "A"}. */
        public static People parse(String text) {
            Matcher m = Pattern.compile("\\s*(\\d{1,6})\\s*(?:-\\s*(\\d{1,6})\\s*)?").matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("ORL people range '" + text + "' is not FIRST-LAST (e.g. 1-30) "
                        + "or a single number");
            }
            int a = Integer.parseInt(m.group(1));
            return new People(a, m.group(2) == null ? a : Integer.parseInt(m.group(2)));
        }

        public boolean contains(int person) {
            return person >= first && person <= last;
        }

        public int count() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first + "-" + last;
        }
    }

    /**
     * The photos of {@code people} in a zip or a folder at {@code path}.
     *
     * @throws IOException naming the path when it does not exist, when a person of the range has
     *                     no photo in it, or when a photo cannot be decoded
     */
    public static InMemoryImages load(Path path, People people, ImageOptions options) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "ORL faces: no such zip or folder");
        }
        TreeMap<Integer, TreeMap<Integer, ImageAssembler.Item>> byPerson = new TreeMap<>();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(path, 3)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String rel = path.relativize(f).toString().replace('\\', '/');
                add(byPerson, people, rel, f.toString(), f);
            }
        } else {
            try (ZipFile zf = new ZipFile(path.toFile())) {
                for (ZipEntry e : zf.stream().filter(e -> !e.isDirectory()).toList()) {
                    Matcher m = LAYOUT.matcher(e.getName());
                    if (m.matches() && people.contains(Integer.parseInt(m.group(1)))) {
                        byte[] bytes;
                        try (var in = zf.getInputStream(e)) {
                            bytes = in.readAllBytes();
                        }
                        put(byPerson, m, e.getName(), path + "!" + e.getName(), bytes);
                    }
                }
            } catch (java.util.zip.ZipException e) {
                throw new IOException("ORL faces: " + path + " is neither a folder nor a readable zip: " + e.getMessage(), e);
            }
        }
        for (int p = people.first(); p <= people.last(); p++) {
            if (!byPerson.containsKey(p)) {
                throw new IOException("ORL faces: " + path + " holds no photo of person " + p + " (expected s" + p
                        + "/1.png … s" + p + "/10.png, or .pgm) but people " + people + " were asked for; found people "
                        + (byPerson.isEmpty() ? "none" : byPerson.firstKey() + "…" + byPerson.lastKey()));
            }
        }
        List<String> names = new ArrayList<>();
        List<ImageAssembler.Item> items = new ArrayList<>();
        for (var person : byPerson.entrySet()) {
            int label = names.size();
            names.add("s" + person.getKey());
            for (ImageAssembler.Item it : person.getValue().values()) {
                items.add(new ImageAssembler.Item(it.name(), it.bytes(), label, it.metadata()));
            }
        }
        return ImageAssembler.assemble(items, names, options);
    }

    private static void add(TreeMap<Integer, TreeMap<Integer, ImageAssembler.Item>> byPerson, People people,
                            String rel, String name, Path file) throws IOException {
        Matcher m = LAYOUT.matcher(rel);
        if (m.matches() && people.contains(Integer.parseInt(m.group(1)))) {
            put(byPerson, m, rel, name, Files.readAllBytes(file));
        }
    }

    private static void put(TreeMap<Integer, TreeMap<Integer, ImageAssembler.Item>> byPerson, Matcher m, String rel,
                            String name, byte[] bytes) throws IOException {
        int person = Integer.parseInt(m.group(1));
        int photo = Integer.parseInt(m.group(2));
        TreeMap<Integer, ImageAssembler.Item> photos = byPerson.computeIfAbsent(person, k -> new TreeMap<>());
        ImageAssembler.Item old = photos.put(photo, new ImageAssembler.Item(name, bytes, 0,
                Map.of(PERSON, Integer.toString(person), PHOTO, Integer.toString(photo), FILE, rel)));
        if (old != null) {
            throw new IOException("ORL faces: photo " + photo + " of person " + person + " appears twice: "
                    + old.name() + " and " + name);
        }
    }
}
