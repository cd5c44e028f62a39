package dev.medic.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The files of one rules or catalog folder as read at one moment, and where they came from. */
public record SourceSet(String origin, String how, List<SourceFile> files) {
    public SourceSet {
        files = List.copyOf(files);
    }

    /** A digest of names and contents: equal digests mean nothing was edited. */
    public String digest() {
        return fullDigest().substring(0, 16);
    }

    /** SHA-256 over every file's name and content, in order, all of it. */
    public String fullDigest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (SourceFile f : files) {
                md.update(f.fileName().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.content().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "rules/ (from --rules)" and the like. */
    public String describe() {
        return origin + " (" + how + ")";
    }
}
