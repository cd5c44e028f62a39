package dev.medic.discover;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelpFlagsTest {
    @Test
    void argparseHelp() {
        ProgramFlags f = HelpFlags.read(Path.of("/t/train.py"), """
                usage: train.py [-h] [-b BATCH_SIZE] [--lr LR] [--max-grad-norm MAX_GRAD_NORM]

                options:
                  -h, --help            show this help message and exit
                  -b BATCH_SIZE, --batch-size BATCH_SIZE
                                        batch size (default: 64)
                  --lr LR               learning rate (default: 0.001)
                  --max-grad-norm MAX_GRAD_NORM
                                        clip (default: None)
                """);
        assertEquals("help", f.method());
        assertEquals("64", f.flag("--batch-size").defaultValue());
        assertEquals("64", f.flag("-b").defaultValue());
        assertEquals("0.001", f.flag("--lr").defaultValue());
        assertEquals("None", f.flag("--max-grad-norm").defaultValue());
        assertFalse(f.accepts("--help"));
        assertNull(f.why());
    }

    @Test
    void clickHelp() {
        ProgramFlags f = HelpFlags.read(Path.of("/t/train.py"), """
                Usage: train.py [OPTIONS]

                Options:
                  --batch-size INTEGER  Batch size.  [default: 32]
                  --amp / --no-amp      Mixed precision.  [default: no-amp]
                  --help                Show this message and exit.
                """);
        assertEquals("32", f.flag("--batch-size").defaultValue());
        assertTrue(f.accepts("--amp"));
        assertTrue(f.accepts("--no-amp"));
    }
}
