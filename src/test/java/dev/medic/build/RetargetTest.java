package dev.medic.build;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetargetTest {
    private static int version(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static Path picocliJar() throws Exception {
        var urls = RetargetTest.class.getClassLoader().getResources("picocli/CommandLine.class");
        while (urls.hasMoreElements()) {
            URL u = urls.nextElement();
            if (u.getProtocol().equals("jar")) {
                return Path.of(((JarURLConnection) u.openConnection()).getJarFileURL().toURI());
            }
        }
        throw new AssertionError("picocli's jar is not on the test class path");
    }

    /** A Java 5 class comes out as a Java 8 class that the verifier accepts and that behaves as before. */
    @Test
    void aJava5ClassBecomesAVerifiedJava8ClassThatWorksTheSame() throws Exception {
        Path jar = picocliJar();
        byte[] original;
        try (JarFile f = new JarFile(jar.toFile()); InputStream in = f.getInputStream(f.getEntry("picocli/CommandLine$Range.class"))) {
            original = in.readAllBytes();
        }
        assertEquals(49, version(original), "picocli ships Java 5 classes; if not, Retarget is no longer needed");
        byte[] rewritten = Retarget.retarget(original, new java.net.URLClassLoader(new URL[] {jar.toUri().toURL()}));
        assertEquals(52, version(rewritten));
        // only Range is defined from the rewritten bytes; what it uses comes from the jar
        ClassLoader jarLoader = new java.net.URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = new ClassLoader(jarLoader) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals("picocli.CommandLine$Range")) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, rewritten, 0, rewritten.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        Class<?> range = Class.forName("picocli.CommandLine$Range", true, loader);
        Object parsed = range.getMethod("valueOf", String.class).invoke(null, "1..3");
        assertEquals("1..3", parsed.toString());
        assertEquals(3, range.getMethod("max").invoke(parsed));
    }

    @Test
    void theBuildPutPicocliInTheClassesFolderAsJava8Classes() throws Exception {
        Path classes = Path.of(Retarget.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(52, version(Files.readAllBytes(classes.resolve("picocli/CommandLine.class"))));
        assertEquals(52, version(Files.readAllBytes(classes.resolve("picocli/CommandLine$Model$CommandSpec.class"))));
    }
}
