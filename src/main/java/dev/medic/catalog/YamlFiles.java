package dev.medic.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** YAML for the rest of medic (a user's config file a fix rewrites a copy of), so only this package imports it. */
public final class YamlFiles {
    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    private YamlFiles() {
    }

    /** Parses YAML with the catalog's limits; errors name the file, line and column. An alias reads as its anchor's name. */
    public static JsonNode read(String displayName, String content) {
        return new CatalogLoader().readYaml(displayName, content, true);
    }

    public static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML: " + e.getOriginalMessage(), e);
        }
    }
}
