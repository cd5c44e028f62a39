package dev.medic.rules;

import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.runtime.KieContainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles DRL files read from disk at run time (no kmodule.xml): each file goes into an in-memory
 * KieFileSystem, and build errors come back as {@code file:line: message}.
 */
public final class RuleCompiler {
    private static final String KFS_DIR = "src/main/resources/medic/rules/";
    private static final Pattern RULE_NAME = Pattern.compile("(?m)^\\s*rule\\s+(\"([^\"]+)\"|'([^']+)'|(\\S+))");
    private static final AtomicInteger BUILDS = new AtomicInteger();

    /** The rules of {@code sources}: the set compiled with medic when they are its shipped files, else compiled now. */
    public RuleSet compile(SourceSet sources) {
        KieBase shipped = sources.files().isEmpty() ? null : ShippedRules.baseFor(sources);
        if (shipped != null) {
            return new RuleSet(sources, () -> { }, shipped, ruleFiles(sources), countRules(shipped), true);
        }
        return compileDrl(sources);
    }

    /** Compiles the DRL of {@code sources}, whatever they are. */
    public RuleSet compileDrl(SourceSet sources) {
        if (sources.files().isEmpty()) {
            throw new RuleException(sources.origin() + ": no *.drl files in the rules folder");
        }
        KieServices ks = KieServices.Factory.get();
        ReleaseId id = ks.newReleaseId("dev.medic", "rules-" + BUILDS.incrementAndGet(), "1.0.0");
        KieFileSystem kfs = fileSystem(ks, id, sources);
        Map<String, String> byKfsPath = new HashMap<>();
        for (SourceFile f : sources.files()) {
            byKfsPath.put(KFS_DIR + f.fileName(), f.displayName());
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            List<String> problems = new ArrayList<>();
            // a syntax error breaks the whole package, so other files report errors that are only its echo
            boolean syntax = errors.stream().anyMatch(m -> firstLine(m.getText()).startsWith("[ERR "));
            for (Message m : errors) {
                String text = firstLine(m.getText());
                if (syntax && !text.startsWith("[ERR ")) {
                    continue;
                }
                if (text.startsWith("Parser returned a null Package") && errors.size() > 1) {
                    continue; // a consequence of the syntax error reported beside it
                }
                problems.add(fileOf(m.getPath(), byKfsPath, sources) + (m.getLine() > 0 ? ":" + m.getLine() : "") + ": " + text);
            }
            ks.getRepository().removeKieModule(id);
            throw new RuleException(problems);
        }
        KieContainer container = ks.newKieContainer(id);
        // the container keeps what it needs; the global repository would otherwise grow with every reload
        ks.getRepository().removeKieModule(id);
        KieBase base = container.getKieBase();
        return new RuleSet(sources, container::dispose, base, ruleFiles(sources), countRules(base), false);
    }

    /**
     * An in-memory project of {@code sources} (no kmodule.xml: the default rule base), released as
     * {@code id}; the build compiles the shipped rules from the same project (build/ShippedRulesBuild).
     */
    public static KieFileSystem fileSystem(KieServices ks, ReleaseId id, SourceSet sources) {
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(id);
        for (SourceFile f : sources.files()) {
            kfs.write(KFS_DIR + f.fileName(), f.content());
        }
        return kfs;
    }

    /** Each rule's name and the file that defines it, for messages. */
    private static Map<String, String> ruleFiles(SourceSet sources) {
        Map<String, String> ruleFiles = new HashMap<>();
        for (SourceFile f : sources.files()) {
            Matcher m = RULE_NAME.matcher(f.content());
            while (m.find()) {
                String name = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
                ruleFiles.put(name, f.displayName());
            }
        }
        return ruleFiles;
    }

    private static int countRules(KieBase base) {
        int count = 0;
        for (KiePackage p : base.getKiePackages()) {
            count += p.getRules().size();
        }
        return count;
    }

    /** Drools names files by their path in its virtual file system, with or without the source root. */
    private static String fileOf(String path, Map<String, String> byKfsPath, SourceSet sources) {
        if (path == null) {
            return sources.origin();
        }
        for (Map.Entry<String, String> e : byKfsPath.entrySet()) {
            if (e.getKey().endsWith("/" + path) || e.getKey().equals(path) || path.endsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return path;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
