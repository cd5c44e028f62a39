package dev.medic.util;

/**
 * A text file medic reads as configuration (a DRL, a catalog YAML), with the name to use in
 * messages ({@code rules/choose.drl}, or {@code bundled:rules/choose.drl}).
 */
public record SourceFile(String displayName, String fileName, String content) {
}
