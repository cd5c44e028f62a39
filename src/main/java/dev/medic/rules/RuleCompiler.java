package dev.medic.rules;

import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
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

    public RuleSet compile(SourceSet sources) {
        if (sources.files().isEmpty()) {
            throw new RuleException(sources.origin() + ": no *.drl files in the rules folder");
        }
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId id = ks.newReleaseId("dev.medic", "rules-" + BUILDS.incrementAndGet(), "1.0.0");
        kfs.generateAndWritePomXML(id);
        Map<String, String> byKfsPath = new HashMap<>();
        Map<String, String> ruleFiles = new HashMap<>();
        for (SourceFile f : sources.files()) {
            String path = KFS_DIR + f.fileName();
            kfs.write(path, f.content());
            byKfsPath.put(path, f.displayName());
            Matcher m = RULE_NAME.matcher(f.content());
            while (m.find()) {
                String name = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
                ruleFiles.put(name, f.displayName());
            }
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            List<String> problems = new ArrayList<>();
            for (Message m : errors) {
                String file = m.getPath() == null ? sources.origin() : byKfsPath.getOrDefault(m.getPath(), m.getPath());
                String text = firstLine(m.getText());
                problems.add(file + (m.getLine() > 0 ? ":" + m.getLine() : "") + ": " + text);
            }
            ks.getRepository().removeKieModule(id);
            throw new RuleException(problems);
        }
        KieContainer container = ks.newKieContainer(id);
        // the container keeps what it needs; the global repository would otherwise grow with every reload
        ks.getRepository().removeKieModule(id);
        var base = container.getKieBase();
        int count = 0;
        for (KiePackage p : base.getKiePackages()) {
            count += p.getRules().size();
        }
        return new RuleSet(sources, container, base, ruleFiles, count);
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
