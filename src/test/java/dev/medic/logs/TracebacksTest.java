package dev.medic.logs;

import dev.medic.facts.PythonException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TracebacksTest {
    /** Every exception the lines state, in order. */
    private static List<PythonException> read(String log) {
        Tracebacks t = new Tracebacks();
        List<PythonException> out = new ArrayList<>();
        long n = 0;
        for (String line : log.split("\n", -1)) {
            PythonException e = t.line(++n, line);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void aChainedTracebackGivesEachBlockWithItsOwnFramesTypeMessageAndErrno() {
        List<PythonException> e = read("""
                Traceback (most recent call last):
                  File "/opt/conda/lib/python3.9/site-packages/pandarallel/core.py", line 263, in closure
                    pickle.dump(chunk, filedescriptor)
                OSError: [Errno 28] No space left on device

                During handling of the above exception, another exception occurred:

                Traceback (most recent call last):
                  File "/workspace/train.py", line 412, in <module>
                    main()
                  File "/opt/conda/lib/python3.9/site-packages/torch/utils/data/dataloader.py", line 483, in __len__
                    return len(self.sampler)
                ValueError: bad length
                """);
        assertEquals(2, e.size());
        assertEquals("OSError", e.get(0).type());
        assertEquals(28, e.get(0).errno());
        assertEquals(List.of("/opt/conda/lib/python3.9/site-packages/pandarallel/core.py"), e.get(0).frames());
        assertEquals("ValueError", e.get(1).type());
        assertNull(e.get(1).errno());
        assertEquals(2, e.get(1).frames().size());
        assertTrue(e.get(1).innermostFrame().endsWith("torch/utils/data/dataloader.py"));
    }

    @Test
    void ranksThatInterleaveKeepTheirOwnFrames() {
        List<PythonException> e = read("""
                [rank0]: Traceback (most recent call last):
                [rank1]: Traceback (most recent call last):
                [rank0]:   File "/usr/lib/python3/site-packages/torch/distributed/distributed_c10d.py", line 3696, in barrier
                [rank1]:   File "/home/u/train.py", line 10, in <module>
                [rank0]:     work = default_pg.barrier(opts=opts)
                [rank1]:     x = batch["label"]
                [rank1]: KeyError: 'label'
                [rank0]: torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1970
                """);
        assertEquals(2, e.size());
        assertEquals("KeyError", e.get(0).type());
        assertEquals(List.of("/home/u/train.py"), e.get(0).frames());
        assertEquals("DistBackendError", e.get(1).simpleType());
        assertTrue(e.get(1).innermostFrame().contains("torch/distributed/"));
    }

    @Test
    void aHostNameBeforeEachLineIsAPrefixButAnExceptionTypeIsNot() {
        List<PythonException> e = read("""
                gpu004:   File "/envs/lib/python3.10/site-packages/torch/distributed/distributed_c10d.py", line 3696, in barrier
                gpu004:     work = default_pg.barrier(opts=opts)
                gpu004: RuntimeError: [14] is setting up NCCL communicator: Connection reset by peer
                RuntimeError: ValueError: nested words
                """);
        assertEquals(2, e.size());
        assertEquals("RuntimeError", e.get(0).type());
        assertEquals(1, e.get(0).frames().size());
        assertEquals("RuntimeError", e.get(1).type());
        assertEquals("ValueError: nested words", e.get(1).message());
        assertEquals(List.of(), e.get(1).frames(), "an exception line with no frames above it stands alone");
    }

    @Test
    void tensorFlowOnesSeeAboveFormAndWindowsPathsAreRead() {
        List<PythonException> e = read("""
                  File "C:\\Python310\\lib\\ssl.py", line 1274, in recv_into
                    return self.read(nbytes, buffer)
                TimeoutError: The read operation timed out
                NotFoundError (see above for traceback): Unsuccessful TensorSliceReader constructor: Failed to find any matching files
                """);
        assertEquals("TimeoutError", e.get(0).type());
        assertEquals("C:\\Python310\\lib\\ssl.py", e.get(0).innermostFrame());
        assertEquals("NotFoundError", e.get(1).type());
        assertTrue(e.get(1).message().startsWith("Unsuccessful TensorSliceReader"));
    }

    @Test
    void warningsCodeLinesAndWordsThatOnlyLookLikeExceptionsAreNot() {
        assertEquals(List.of(), read("""
                UserWarning: this is printed, not raised
                FutureWarning: so is this
                    raise ValueError("inside a frame's code line")
                ERROR: could not find a version that satisfies the requirement
                Error
                epoch 3 val_loss: 0.52
                """));
    }

    @Test
    void anExceptionFarBelowItsFramesStandsAlone() {
        StringBuilder log = new StringBuilder("  File \"/site-packages/torch/distributed/run.py\", line 1, in main\n");
        for (int i = 0; i < 40; i++) {
            log.append("step ").append(i).append(" loss 0.5\n");
        }
        log.append("ConnectionResetError: [Errno 104] Connection reset by peer\n");
        List<PythonException> e = read(log.toString());
        assertEquals(1, e.size());
        assertEquals(List.of(), e.get(0).frames());
        assertEquals(104, e.get(0).errno());
    }

    @Test
    void rayReRaisesATasksExceptionWithItsTypeInBrackets() {
        List<PythonException> e = read("""
                  File "C:\\Users\\u\\site-packages\\ray\\_private\\worker.py", line 2624, in get
                    raise value.as_instanceof_cause()
                ray.exceptions.RayTaskError(MemoryError): ray::TrainALL.train() (pid=35968, ip=127.0.0.1)
                """);
        assertEquals("MemoryError", e.get(0).type());
        assertTrue(e.get(0).message().startsWith("ray::TrainALL.train()"));
    }

    @Test
    void aLineOfThousandsOfPrefixesIsReadInBoundedTime() {
        List<PythonException> e = read("[rank0]: ".repeat(5000) + "ValueError: boom\n" + "(x) ".repeat(20000) + "error\n");
        assertEquals(List.of(), e, "more prefixes than a launcher writes: not an exception line");
        assertEquals("ValueError", read("gpu-node-2: [rank9]: (pid=12) ValueError: boom\n").get(0).type());
    }
}
