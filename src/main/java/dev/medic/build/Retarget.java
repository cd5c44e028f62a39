package dev.medic.build;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Run by the build after compiling (exec-maven-plugin, process-classes): rewrites the classes of a
 * dependency compiled for Java 5 as Java 8 classes, with the stack maps Java 6 and later carry,
 * into the classes folder, where the jar takes them from in place of the dependency's own. The JVM
 * keeps no Java 5 class in a class-data archive, so picocli, which `medic run` needs before its
 * child can start, was read and verified on every start (about 40 ms of it). The code is
 * unchanged; only the class file version and the stack maps are new. Needs ASM, a build-time
 * dependency, so the jar leaves this class out.
 */
public final class Retarget {
    private Retarget() {
    }

    /** Arguments: the classes folder, a class of the dependency as a resource ({@code picocli/CommandLine.class}). */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        String probe = args[1];
        Path jar = jarHolding(probe);
        String prefix = probe.substring(0, probe.indexOf('/') + 1);
        Path stamp = classes.resolve(prefix + ".retargeted");
        String from = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(from)) {
            return;
        }
        int count = 0;
        try (JarFile in = new JarFile(jar.toFile());
             URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.getName().startsWith(prefix) || !entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                Path out = classes.resolve(entry.getName());
                Files.createDirectories(out.getParent());
                Files.write(out, retarget(bytes, loader));
                count++;
            }
        }
        Files.writeString(stamp, from);
        System.out.println("medic: " + count + " classes of " + jar.getFileName() + " rewritten as Java 8 classes into " + classes);
    }

    /** The dependency's jar: the copy of {@code resource} that lies in a jar (the classes folder may hold one already). */
    private static Path jarHolding(String resource) throws IOException {
        for (Enumeration<URL> e = Retarget.class.getClassLoader().getResources(resource); e.hasMoreElements(); ) {
            URL url = e.nextElement();
            if (url.getProtocol().equals("jar")) {
                try {
                    return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
                } catch (java.net.URISyntaxException ex) {
                    throw new IOException(ex);
                }
            }
        }
        throw new IOException("no jar on the class path holds " + resource);
    }

    static byte[] retarget(byte[] bytes, ClassLoader loader) {
        ClassReader reader = new ClassReader(bytes);
        if (reader.readUnsignedShort(6) >= Opcodes.V1_8) {
            return bytes;
        }
        // frames computed afresh (not copied from the reader): Java 5 methods have none
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return loader;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
