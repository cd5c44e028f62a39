package dev.medic.discover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Python entry script a command runs, found in its argv: {@code python[3] [opts] script.py},
 * {@code python -m module} (a module resolved to a file under the working directory), and the
 * same through the launchers {@code torchrun}, {@code python -m torch.distributed.run},
 * {@code accelerate launch} and {@code deepspeed}, whose own options are skipped. Anything else
 * (a shell, a binary) has no entry script, and is never probed.
 *
 * @param file     the script's file
 * @param helpArgv the argv that runs the script alone with {@code --help} (no launcher)
 */
public record EntryScript(Path file, List<String> helpArgv) {
    private static final Pattern PYTHON = Pattern.compile("python(3(\\.[0-9]+)?)?");
    /** Python options that take a value: the value is not the script. */
    private static final Set<String> PYTHON_VALUE_OPTIONS = Set.of("-W", "-X", "-c", "--check-hash-based-pycs");
    private static final Set<String> LAUNCHERS = Set.of("torchrun", "deepspeed");
    private static final Set<String> LAUNCHER_MODULES = Set.of("torch.distributed.run", "torch.distributed.launch");

    /** The entry script of {@code argv} run in {@code workdir}, or null when there is none (not Python, not found). */
    public static EntryScript find(List<String> argv, Path workdir) {
        if (argv.isEmpty()) {
            return null;
        }
        String program = base(argv.get(0));
        if (PYTHON.matcher(program).matches()) {
            return afterPython(argv, 1, argv.get(0), workdir);
        }
        if (LAUNCHERS.contains(program)) {
            return afterLauncher(argv, 1, workdir);
        }
        if (program.equals("accelerate") && argv.size() > 1 && argv.get(1).equals("launch")) {
            return afterLauncher(argv, 2, workdir);
        }
        return null;
    }

    private static EntryScript afterPython(List<String> argv, int i, String python, Path workdir) {
        while (i < argv.size()) {
            String a = argv.get(i);
            if (a.equals("-m") && i + 1 < argv.size()) {
                String module = argv.get(i + 1);
                if (LAUNCHER_MODULES.contains(module)) {
                    return afterLauncher(argv, i + 2, workdir);
                }
                Path file = moduleFile(module, workdir);
                return file == null ? null : new EntryScript(file, List.of(python, "-m", module, "--help"));
            }
            if (a.equals("-c") || a.equals("-")) {
                return null;
            }
            if (PYTHON_VALUE_OPTIONS.contains(a)) {
                i += 2;
                continue;
            }
            if (a.startsWith("-")) {
                i++;
                continue;
            }
            return script(a, python, workdir);
        }
        return null;
    }

    /** Skips a launcher's options (`--nproc_per_node 2`, `--num_processes=2`, flags) up to the first .py or -m. */
    private static EntryScript afterLauncher(List<String> argv, int i, Path workdir) {
        for (; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-m") || a.equals("--module")) {
                return i + 1 < argv.size() ? afterPython(List.of("python3", "-m", argv.get(i + 1)), 1, "python3", workdir) : null;
            }
            if (!a.startsWith("-") && a.endsWith(".py")) {
                return script(a, "python3", workdir);
            }
        }
        return null;
    }

    private static EntryScript script(String arg, String python, Path workdir) {
        if (!arg.endsWith(".py")) {
            return null;
        }
        Path file = workdir.resolve(arg).normalize();
        return Files.isRegularFile(file) ? new EntryScript(file, List.of(python, arg, "--help")) : null;
    }

    /** {@code a.b} -> {@code <workdir>/a/b.py} or {@code <workdir>/a/b/__main__.py}; null when not under the working directory. */
    private static Path moduleFile(String module, Path workdir) {
        if (!module.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            return null;
        }
        Path base = workdir.resolve(module.replace('.', '/'));
        for (Path p : List.of(Path.of(base + ".py"), base.resolve("__main__.py"))) {
            if (Files.isRegularFile(p)) {
                return p.normalize();
            }
        }
        return null;
    }

    private static String base(String program) {
        int slash = program.lastIndexOf('/');
        return slash < 0 ? program : program.substring(slash + 1);
    }
}
