package dev.oneshot.siamese.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ORL / AT&amp;T "Database of Faces" (Olivetti Research Laboratory, Cambridge, 1992–94):
 * 40 people, 10 frontal photos each with varying light, expression and glasses, 92×112
 * (W×H) grey. Laid out as {@code [prefix/]sX/Y.ext} — X the person 1–40, Y the photo 1–10 —
 * in PNG (the shared {@code orl_faces_png.zip}) or PGM (the original distribution); read from
 * a zip (nothing is extracted) or a folder through {@link FileTree}.
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

    private static final Pattern LAYOUT = Pattern.compile("(?:.*/)?s(\\d{1,6})/(\\d{1,6})\\.(?i:png|pgm)");

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
     * The photos of {@code people} in a zip or a folder at {@code path}, read through
     * {@link FileTree}: files matching {@code [prefix/]sX/Y.png} (or {@code .pgm}) at any depth.
     *
     * @throws IOException naming the path when it does not exist or is no readable zip, when a
     *                     person of the range has no photo in it, when a photo appears twice, or
     *                     when a photo cannot be read or decoded (naming the photo)
     */
    public static InMemoryImages load(Path path, People people, ImageOptions options) throws IOException {
        TreeMap<Integer, TreeMap<Integer, ImageAssembler.Item>> byPerson = new TreeMap<>();
        try (FileTree tree = FileTree.open(path)) {
            for (String rel : tree.files()) {
                Matcher m = LAYOUT.matcher(rel);
                if (m.matches() && people.contains(Integer.parseInt(m.group(1)))) {
                    put(byPerson, m, rel, tree.display(rel), tree.read(rel));
                }
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
