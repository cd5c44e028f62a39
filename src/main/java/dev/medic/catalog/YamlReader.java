package dev.medic.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;

/**
 * Parses a catalog file or medic's config into a tree; errors name the file, line and column.
 * An alias ({@code *name}, {@code <<: *name}) is refused: the YAML reader has no aliases and
 * would read one as the string "name" without a word.
 */
final class YamlReader {
    private final YAMLFactory yaml;

    YamlReader() {
        LoaderOptions opts = new LoaderOptions();
        // a catalog is small: refuse alias bombs and huge documents instead of expanding them
        opts.setMaxAliasesForCollections(20);
        opts.setCodePointLimit(4 * 1024 * 1024);
        opts.setAllowDuplicateKeys(false);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(opts).build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.yaml = f;
    }

    JsonNode read(String displayName, String content) {
        return read(displayName, content, YamlTree.Lines.NONE);
    }

    /** The document's root as a node that knows the lines of its keys and list items. */
    YamlNode document(String displayName, String content) {
        YamlTree.Lines lines = new YamlTree.Lines();
        return new YamlNode(displayName, "", read(displayName, content, lines), lines, 0);
    }

    private JsonNode read(String displayName, String content, YamlTree.Lines lines) {
        try (JsonParser p = yaml.createParser(content)) {
            JsonNode n = YamlTree.read(new AliasRefusingParser(p), lines);
            return n == null || n.isMissingNode() ? JsonNodeFactory.instance.objectNode() : n;
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? displayName : displayName + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new CatalogException(where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw new CatalogException(displayName + ": not a readable YAML document: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static final class AliasRefusingParser extends JsonParserDelegate {
        AliasRefusingParser(JsonParser yamlParser) {
            super(yamlParser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (((YAMLParser) delegate).isCurrentAlias()) {
                throw new JsonParseException(this, "YAML aliases are not supported (*" + getText()
                        + "): write the value out in full", currentTokenLocation());
            }
            return t;
        }
    }
}
