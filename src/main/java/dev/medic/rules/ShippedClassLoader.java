package dev.medic.rules;

import java.io.IOException;
import java.io.InputStream;

/** Defines classes whose files lie under one resource folder of its parent (the shipped rules' model). */
final class ShippedClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final String dir;

    ShippedClassLoader(String dir, ClassLoader parent) {
        super("medic-shipped-rules", parent);
        this.dir = dir;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String file = dir + name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(file)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
