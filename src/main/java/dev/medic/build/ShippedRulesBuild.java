package dev.medic.build;

import dev.medic.rules.RuleCompiler;
import dev.medic.rules.ShippedRules;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Run by the build after compiling (exec-maven-plugin, process-classes): compiles the rules folder
 * with Drools' executable model and writes its classes and an index under
 * {@code target/classes/}{@code medic/shipped-rules/}, which {@link ShippedRules} reads. It needs
 * drools-model-codegen, a build-time dependency, so the jar leaves this class out.
 */
public final class ShippedRulesBuild {
    private static final String MODEL_LIST = "META-INF/kie/dev.medic/rules-shipped/drools-model";

    private ShippedRulesBuild() {
    }

    /** Arguments: the rules folder, the classes folder. */
    public static void main(String[] args) throws IOException {
        SourceSet sources = SourceLocation.find("rules", ".drl", Path.of(args[0]), Map.of(), null).read();
        Path out = Path.of(args[1]).resolve(ShippedRules.DIR);
        String digest = sources.fullDigest();
        if (upToDate(out, digest)) {
            return;
        }
        byte[] kjar = compile(sources);
        deleteTree(out);
        String model = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(kjar))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(MODEL_LIST)) {
                    model = modelClass(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                } else if (e.getName().endsWith(".class") && !e.getName().startsWith("org/drools/project/")) {
                    Path f = out.resolve(e.getName());
                    Files.createDirectories(f.getParent());
                    Files.write(f, zip.readAllBytes());
                }
            }
        }
        if (model == null) {
            throw new IllegalStateException("the executable model names no model class (" + MODEL_LIST + ")");
        }
        Properties index = new Properties();
        index.setProperty("digest", digest);
        index.setProperty("model", model);
        try (OutputStream o = Files.newOutputStream(out.resolve("index.properties"))) {
            index.store(o, "the shipped rules, compiled at build time; see dev.medic.rules.ShippedRules");
        }
        System.out.println("medic: compiled " + sources.files().size() + " rules files into " + out);
    }

    private static byte[] compile(SourceSet sources) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId id = ks.newReleaseId("dev.medic", "rules-shipped", "1.0.0");
        KieFileSystem kfs = RuleCompiler.fileSystem(ks, id, sources);
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the shipped rules do not compile to an executable model: " + errors);
        }
        return ((InternalKieModule) builder.getKieModule()).getBytes();
    }

    private static String modelClass(String list) {
        return list.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("Drools-Model-Version"))
                .findFirst().orElse(null);
    }

    private static boolean upToDate(Path out, String digest) throws IOException {
        Path indexFile = out.resolve("index.properties");
        if (!Files.isRegularFile(indexFile)) {
            return false;
        }
        Properties index = new Properties();
        try (var in = Files.newInputStream(indexFile)) {
            index.load(in);
        }
        String model = index.getProperty("model", "");
        return digest.equals(index.getProperty("digest")) && Files.isRegularFile(out.resolve(model.replace('.', '/') + ".class"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
