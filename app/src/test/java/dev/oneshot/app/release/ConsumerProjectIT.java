package dev.oneshot.app.release;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * oneshot used as another project uses it. The build installs the parent POM and the core, nn and
 * siamese artifacts into {@code app/target/consumer-repo} (app/pom.xml, pre-integration-test), as
 * {@code ./mvnw install} would into a developer's local repository. Then:
 * <ul>
 *   <li>the project in {@code app/src/it/consumer} (one dependency: oneshot-siamese) is built by Maven
 *       with that folder as its local repository, and every other download answered from the local
 *       repository of this build through a {@code file://} mirror (read only, no network), and its
 *       {@code EmbedSample}, the README's sample, runs with the three jars on the module path;</li>
 *   <li>the jars are modules {@code dev.oneshot.core}, {@code dev.oneshot.nn} and
 *       {@code dev.oneshot.siamese}, and a layer of the three resolves and runs siamese code;</li>
 *   <li>each library artifact has its POM, -sources and -javadoc jars, LICENSE and NOTICE.</li>
 * </ul>
 * Runs in verify (surefire execution {@code consumer-project}), after the jars exist.
 */
class ConsumerProjectIT {
    static final List<String> LIBRARIES = List.of("core", "nn", "siamese");
    static final long MAVEN_TIMEOUT_MINUTES = 5;

    static Path consumerRepo;
    static String version;

    @TempDir
    Path tmp;

    /** Skipped (not failed) where the installed artifacts are not there: a -Dtest=ConsumerProjectIT test-phase run. */
    @BeforeAll
    static void installedArtifacts() {
        assumeTrue(System.getProperty("oneshot.it.consumerRepo") != null,
                "ConsumerProjectIT runs in verify, after the jars are installed (app/pom.xml, execution consumer-project)");
        consumerRepo = Path.of(property("oneshot.it.consumerRepo"));
        version = property("oneshot.it.version");
    }

    private static String property(String key) {
        String v = System.getProperty(key);
        assertNotNull(v, key + " is not set: ConsumerProjectIT runs in Maven's verify (app/pom.xml, execution consumer-project)");
        return v;
    }

    /** {@code consumer-repo/dev/oneshot/oneshot-NAME/VERSION/oneshot-NAME-VERSION[-CLASSIFIER].EXT}. */
    static Path artifact(String module, String classifierAndExtension) {
        String base = "oneshot-" + module + "-" + version;
        return consumerRepo.resolve("dev/oneshot/oneshot-" + module + "/" + version + "/" + base + classifierAndExtension);
    }

    static List<Path> libraryJars() {
        return LIBRARIES.stream().map(m -> artifact(m, ".jar")).toList();
    }

    @Test
    void aProjectThatDependsOnOneshotSiameseBuildsOfflineAndRunsTheReadmeSample() throws Exception {
        Path project = Path.of(property("oneshot.it.consumerRepo")).resolveSibling("consumer-project");
        deleteTree(project);
        copyTree(repoRoot().resolve("app/src/it/consumer"), project);
        Files.createDirectories(project.resolve(".mvn")); // the consumer's own root: not this repository's .mvn
        Path settings = project.resolve("settings.xml");
        Files.writeString(settings, offlineSettings(Path.of(property("oneshot.it.buildRepo"))));

        String mvn = Path.of(property("oneshot.it.mavenHome"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn").toString();
        List<String> build = List.of(mvn, "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + consumerRepo,
                "-Doneshot.version=" + version,
                "-Dcompiler.plugin.version=" + property("oneshot.it.compilerPluginVersion"),
                "-Dresources.plugin.version=" + property("oneshot.it.resourcesPluginVersion"),
                "-Djar.plugin.version=" + property("oneshot.it.jarPluginVersion"),
                "-Dsurefire.plugin.version=" + property("oneshot.it.surefirePluginVersion"),
                "package");
        Run maven = run(build, project, MAVEN_TIMEOUT_MINUTES);
        Files.writeString(project.resolve("build.log"), maven.out() + maven.log());
        assertEquals(0, maven.code(), "the consumer project's build failed:\n" + maven.tail());
        Path consumerJar = project.resolve("target/oneshot-consumer-1.0.jar");
        assertTrue(Files.isRegularFile(consumerJar), "no " + consumerJar + ":\n" + maven.tail());

        // The README's sample, in the consumer's jar, against a model and a gallery made here.
        Path modelFile = tmp.resolve("model.safetensors");
        SiameseModel model = TrainingRun.build(Recipes.fashion(), 42);
        model.save(modelFile);
        Path galleryFile = tmp.resolve("gallery.safetensors");
        Gallery gallery = Gallery.of(model, GalleryOptions.squaredL2(0.5));
        gallery.enroll("bob", model.readImage(png("bob.png", 3)));
        GalleryFile.save(galleryFile, gallery);
        Path alice = png("alice.png", 11);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = libraryJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Run sample = run(List.of(java, "--module-path", modulePath, "--add-modules", "dev.oneshot.siamese",
                "-cp", consumerJar.toString(), "example.EmbedSample", modelFile.toString(), galleryFile.toString(),
                alice.toString(), alice.toString()), tmp, 2);
        assertEquals(0, sample.code(), sample.tail());
        assertEquals("alice", sample.out().strip(), "the same photo is alice: " + sample.tail());
        assertEquals(List.of("bob", "alice"), GalleryFile.load(galleryFile, SiameseModel.load(modelFile)).identities(),
                "the sample saved its enrolment");
    }

    /** The README's dependency block names this version, and the consumer's sample is the README's, line for line. */
    @Test
    void theReadmesDependencyAndSampleAreWhatTheConsumerUses() throws IOException {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        int section = readme.indexOf("## Embed it in your Java app");
        assertTrue(section >= 0, "README.md has no section 'Embed it in your Java app'");
        int xml = readme.indexOf("```xml\n", section);
        String dependency = readme.substring(xml, readme.indexOf("```\n", xml + 7));
        assertTrue(dependency.contains("<groupId>dev.oneshot</groupId>")
                && dependency.contains("<artifactId>oneshot-siamese</artifactId>")
                && dependency.contains("<version>" + version + "</version>"), "README.md's dependency block: " + dependency);
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        String sample = Files.readString(repoRoot().resolve("app/src/it/consumer/src/main/java/example/EmbedSample.java"));
        List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertEquals(6, lines.size(), block);
        for (String line : lines) {
            assertTrue(sample.contains(line), "EmbedSample.java lacks the README line: " + line);
        }
    }

    @Test
    void theJarsAreTheModulesDevOneshotCoreNnAndSiamese() throws Exception {
        ModuleFinder finder = ModuleFinder.of(libraryJars().toArray(Path[]::new));
        Map<String, String> expected = Map.of("dev.oneshot.core", "core", "dev.oneshot.nn", "nn",
                "dev.oneshot.siamese", "siamese");
        Set<String> found = finder.findAll().stream().map(r -> r.descriptor().name()).collect(Collectors.toSet());
        assertEquals(expected.keySet(), found);
        for (String name : expected.keySet()) {
            ModuleDescriptor d = finder.find(name).orElseThrow().descriptor();
            assertTrue(d.isAutomatic(), name + " is named by Automatic-Module-Name");
            assertTrue(!d.packages().isEmpty() && d.packages().stream().allMatch(p -> p.equals(name) || p.startsWith(name + ".")),
                    name + " holds the packages " + name + ".*, and only those: " + d.packages());
        }

        // siamese resolves, and with it the modules it needs: a layer of the three loads and runs its code.
        Configuration cf = Configuration.resolve(finder, List.of(ModuleLayer.boot().configuration()),
                ModuleFinder.of(), Set.of("dev.oneshot.siamese"));
        Set<String> resolved = cf.modules().stream().map(ResolvedModule::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(expected.keySet()), resolved);
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("dev.oneshot.siamese");
        Class<?> provenance = loader.loadClass("dev.oneshot.siamese.model.Provenance");
        assertEquals("dev.oneshot.siamese", provenance.getModule().getName());
        assertEquals(version, provenance.getMethod("currentVersion").invoke(null));
        Class<?> tensor = loader.loadClass("dev.oneshot.core.tensor.Tensor");
        assertEquals("dev.oneshot.core", tensor.getModule().getName());
        assertTrue(provenance.getModule().canRead(tensor.getModule()), "siamese reads core");
        // This JVM has jdk.incubator.vector (app/pom.xml argLine): core, an automatic module, reads it.
        Object kernel = loader.loadClass("dev.oneshot.core.kernels.DistanceKernels").getMethod("kernel").invoke(null);
        assertTrue(kernel.toString().startsWith("vector-"), "the Vector API path on the module path: " + kernel);
    }

    @Test
    void eachLibraryArtifactHasItsPomSourcesJavadocLicenceAndNotice() throws IOException {
        assertTrue(Files.isRegularFile(consumerRepo.resolve("dev/oneshot/oneshot-parent/" + version + "/oneshot-parent-"
                + version + ".pom")), "the parent POM is installed");
        Map<String, String> aClass = Map.of("core", "dev/oneshot/core/tensor/Tensor", "nn", "dev/oneshot/nn/Module",
                "siamese", "dev/oneshot/siamese/model/SiameseModel");
        for (String m : LIBRARIES) {
            String pom = Files.readString(artifact(m, ".pom"));
            assertTrue(pom.contains("<artifactId>oneshot-" + m + "</artifactId>"), pom);
            try (ZipFile jar = new ZipFile(artifact(m, ".jar").toFile());
                 ZipFile sources = new ZipFile(artifact(m, "-sources.jar").toFile());
                 ZipFile javadoc = new ZipFile(artifact(m, "-javadoc.jar").toFile())) {
                assertNotNull(jar.getEntry(aClass.get(m) + ".class"), m);
                assertNotNull(sources.getEntry(aClass.get(m) + ".java"), m + " -sources");
                assertNotNull(javadoc.getEntry(aClass.get(m) + ".html"), m + " -javadoc");
                assertNotNull(javadoc.getEntry("index.html"), m + " -javadoc");
                for (String f : List.of("META-INF/LICENSE", "META-INF/NOTICE")) {
                    assertNotNull(jar.getEntry(f), m + ".jar " + f);
                }
                String license = new String(jar.getInputStream(jar.getEntry("META-INF/LICENSE")).readAllBytes(),
                        StandardCharsets.UTF_8);
                assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"), m);
            }
        }
    }

    // ---- helpers ----

    /**
     * Maven settings for a build that reaches no network: every repository, plugins included, is the
     * local repository of this build as a {@code file://} mirror, from which Maven copies what it needs
     * into its own local repository (-Dmaven.repo.local). Snapshots are off there: dev.oneshot comes
     * only from what the build installed into consumer-repo.
     */
    static String offlineSettings(Path buildRepo) {
        String url = buildRepo.toUri().toString();
        String repo = """
                        <id>central</id>
                        <url>%s</url>
                        <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                        <snapshots><enabled>false</enabled></snapshots>
                """.formatted(url);
        return """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <mirrors>
                    <mirror>
                      <id>oneshot-build-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                  <profiles>
                    <profile>
                      <id>read-only-build-repository</id>
                      <repositories><repository>
                %s      </repository></repositories>
                      <pluginRepositories><pluginRepository>
                %s      </pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>read-only-build-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(url, repo, repo);
    }

    record Run(int code, String out, String log) {
        /** The last 60 lines of stdout and stderr, for a failure message. */
        String tail() {
            List<String> lines = (out + log).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }

    static Run run(List<String> command, Path dir, long timeoutMinutes) throws IOException, InterruptedException {
        Path out = Files.createTempFile("oneshot-it", ".out");
        Path err = Files.createTempFile("oneshot-it", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("MAVEN_ARGS");
            Process p = pb.start();
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took over " + timeoutMinutes + " min:\n"
                        + Files.readString(out));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        assertNotNull(p, "no mvnw above " + Path.of("").toAbsolutePath());
        return p;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            for (Path f : all) {
                Files.delete(f);
            }
        }
    }

    /** A 28×28 grey PNG with a seeded pattern. */
    private Path png(String name, long seed) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        SeededRandom rng = new SeededRandom(seed);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, rng.nextDouble() < 0.3 ? 255 : 0);
            }
        }
        Path p = tmp.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }
}
