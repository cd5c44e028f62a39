package dev.medic.progress;

import dev.medic.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped catalog's progress patterns on lines as each framework prints them, and on lines that only look like progress. */
class ProgressParserTest {
    private static final ProgressParser PARSER = Fixtures.defaultCatalog().progress();

    static Stream<Arguments> progressLines() {
        return Stream.of(
                // tqdm: it/s, s/it, a postfix, no rate yet, a bar fused with the next log line
                Arguments.of(" 37%|███▋      | 370/1000 [01:02<01:45, 5.93it/s]",
                        "step=370 total_steps=1000 throughput=5.93 throughput_unit=it/s"),
                Arguments.of(" 37%|###7      | 370/1000 [01:02<01:45,  1.23s/it, loss=0.123]",
                        "step=370 total_steps=1000 loss=0.123 throughput=1.23 throughput_unit=s/it"),
                Arguments.of("Steps:  10%|█         | 300/3000 [01:00<09:00,  5.00it/s, step_loss=0.0412, lr=1e-05]",
                        "step=300 total_steps=3000 loss=0.0412 lr=1e-05 throughput=5.0 throughput_unit=it/s"),
                Arguments.of("Steps:   0%|          | 0/3000 [00:00<?, ?it/s]", "step=0 total_steps=3000"),
                Arguments.of("  0%|          | 9/63645 [00:19<37:53:00,  2.14s/it][2021-06-08 12:02:45,001] [INFO] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 16777216.0",
                        "step=9 total_steps=63645 throughput=2.14 throughput_unit=s/it"),
                // Lightning: the tqdm bar with the epoch and a postfix, the rich bar, a NaN loss in the postfix
                Arguments.of("Epoch 3:  45%|████▌     | 450/1000 [00:40<00:50, 11.0it/s, v_num=0, train_loss=0.412]",
                        "epoch=3 step=450 total_steps=1000 loss=0.412 throughput=11.0 throughput_unit=it/s"),
                Arguments.of("Epoch 2:   37%|███▋      | 291/782 [00:48<01:21,  6.01it/s, loss=nan, v_num=14]",
                        "epoch=2 step=291 total_steps=782 loss=nan throughput=6.01 throughput_unit=it/s"),
                Arguments.of("Epoch 4/9  ━━━━━━━━━━━╺━━━━━━ 5/8 0:00:01 • 0:00:01 6.12it/s v_num: 0 train_loss: 0.913",
                        "epoch=4 total_epochs=9 step=5 total_steps=8 loss=0.913 throughput=6.12 throughput_unit=it/s"),
                // Ultralytics: the epoch stands first
                Arguments.of("       7/99      7.21G    0.04712    0.03511    0.01633        144        640: 100%|██████████| 938/938 [04:11<00:00,  3.73it/s]",
                        "epoch=7 total_epochs=99 step=938 total_steps=938 throughput=3.73 throughput_unit=it/s"),
                // Hugging Face Trainer: floats, quoted values, a NaN grad norm beside a finite loss, an eval dict
                Arguments.of("{'loss': 0.4123, 'grad_norm': 1.93, 'learning_rate': 2.5e-05, 'epoch': 0.12}",
                        "loss=0.4123 lr=2.5e-05 epoch=0.12"),
                Arguments.of("{'loss': '1.0312', 'grad_norm': '0.4412', 'learning_rate': '4.5e-05', 'epoch': '0.3'}",
                        "loss=1.0312 lr=4.5e-05 epoch=0.3"),
                Arguments.of("{'loss': 0.0, 'grad_norm': nan, 'learning_rate': 9.773318840518906e-06, 'epoch': 0.53}",
                        "loss=0.0 lr=9.773318840518906e-06 epoch=0.53"),
                Arguments.of("{'eval_loss': 0.2301, 'eval_accuracy': 0.9197, 'eval_runtime': 2.1182, 'epoch': 1.0}", "epoch=1.0"),
                Arguments.of("{\"loss\": 2.31, \"learning_rate\": 0.0003, \"epoch\": 1.5, \"step\": 1200}",
                        "loss=2.31 lr=0.0003 epoch=1.5 step=1200"),
                // Keras 2 and 3, and the epoch heading
                Arguments.of("Epoch 3/10", "epoch=3 total_epochs=10"),
                Arguments.of("120/500 [====>.........................] - ETA: 30s - loss: 0.4123", "step=120 total_steps=500 loss=0.4123"),
                Arguments.of("500/500 [==============================] - 12s 24ms/step - loss: 0.4123 - accuracy: 0.8 - val_loss: 0.5",
                        "step=500 total_steps=500 loss=0.4123 throughput=24.0 throughput_unit=ms/step"),
                Arguments.of("120/500 ━━━━━━━━━━━━━━━━━━━━ 30s 61ms/step - accuracy: 0.8012 - loss: 0.4123",
                        "step=120 total_steps=500 loss=0.4123 throughput=61.0 throughput_unit=ms/step"),
                Arguments.of("1875/1875 - 5s - loss: 0.2971 - accuracy: 0.9140", "step=1875 total_steps=1875 loss=0.2971"),
                // hand-written loops
                Arguments.of("step 120 loss 0.41 lr 3e-4", "step=120 loss=0.41 lr=3e-4"),
                Arguments.of("Step 120/1000 | loss 0.41 | lr 3e-4 | 5.2 it/s",
                        "step=120 total_steps=1000 loss=0.41 lr=3e-4 throughput=5.2 throughput_unit=it/s"),
                Arguments.of("Epoch [1/10], Step [100/600], Loss: 0.2345", "epoch=1 total_epochs=10 step=100 total_steps=600 loss=0.2345"),
                Arguments.of("[2023-05-28 03:11:41] epoch 2 step 18400 loss 0.8812 throughput 1311.2 samples/s",
                        "epoch=2 step=18400 loss=0.8812 throughput=1311.2 throughput_unit=samples/s"),
                Arguments.of("{\"level\":\"info\",\"msg\":\"step 4000 loss=2.2410 lr=9.80e-05 tok/s=41233\"}",
                        "step=4000 loss=2.241 lr=9.8e-05 throughput=41233 throughput_unit=tok/s"),
                Arguments.of("epoch 13 | train_loss 0.4012 | val_auc 0.8109", "epoch=13 loss=0.4012"),
                Arguments.of("[06/01 08:12:45 d2.utils.events]:  eta: 0:10:00  iter: 19  total_loss: 2.345  loss_cls: 0.5  lr: 0.00039",
                        "step=19 loss=2.345 lr=0.00039"),
                Arguments.of("INFO:tensorflow:loss = 0.6931107, step = 12100 (11.400 sec)", "loss=0.6931107 step=12100"),
                Arguments.of("step 1 loss 60543643359133385593489538940928.0000", "step=1 loss=6.054364335913339E31"),
                Arguments.of("step 2 loss inf", "step=2 loss=inf"),
                Arguments.of("step 3 loss -Infinity", "step=3 loss=-inf"),
                Arguments.of("train Loss: 2.7186 Acc: 0.4082", "loss=2.7186"),
                // DeepSpeed, Megatron, fairseq, torchvision, MMEngine, the MNIST example, nanoGPT
                Arguments.of("[2024-02-27 18:40:12,771] [INFO] [logging.py:96:log_dist] [Rank 0] step=8800, skipped=3, lr=[1.9e-05], mom=[(0.9, 0.999)]",
                        "step=8800 lr=1.9e-05"),
                Arguments.of("[INFO] [timer.py:260:stop] epoch=0/micro_step=35200/global_step=8800, RunningAvgSamplesPerSec=61.2, CurrSamplesPerSec=61.4, MemAllocated=4.2GB",
                        "epoch=0 step=8800 throughput=61.4 throughput_unit=samples/s"),
                Arguments.of("iteration 120/ 1000 | consumed samples: 15360 | lm loss: 4.1E+00 | learning rate: 3.0E-04 | loss scale: 65536.0 |",
                        "step=120 total_steps=1000 loss=4.1 lr=3.0e-04"),
                Arguments.of(" iteration      118/  500000 | consumed samples:        60416 | elapsed time per iteration (ms): 5298.1 | learning rate: 3.540E-06 | global batch size:   512 | lm loss: 8.447102E+00 | loss scale: 4096.0 |",
                        "step=118 total_steps=500000 loss=8.447102 lr=3.54e-06 throughput=5298.1 throughput_unit=ms/it"),
                Arguments.of("2023-03-08 22:10:58 | INFO | train_inner | epoch 001:    100 / 8790 loss=12.411, nll_loss=12.2, ppl=4733.2, wps=118204, ups=1, num_updates=98, lr=1.225e-05, gnorm=2.1",
                        "epoch=1 step=98 loss=12.411 lr=1.225e-05 throughput=118204 throughput_unit=words/s"),
                Arguments.of("Epoch: [3]  [ 740/2502]  eta: 0:09:12  lr: 0.000400  img/s: 412.5  loss: 2.1471 (2.2210)  time: 0.3101",
                        "epoch=3 step=740 total_steps=2502 lr=0.0004 loss=2.1471 throughput=412.5 throughput_unit=img/s"),
                Arguments.of("04/18 11:21:13 - mmengine - INFO - Epoch(train)  [4][1700/1833]  base_lr: 2.0000e-02 lr: 2.0000e-02  eta: 0:40:12  loss: nan  loss_cls: nan",
                        "epoch=4 step=1700 total_steps=1833 lr=0.02 loss=nan"),
                Arguments.of("Train Epoch: 1 [640/60000 (1%)]\tLoss: 2.298", "epoch=1 step=640 total_steps=60000 loss=2.298"),
                Arguments.of("iter 1631: loss 4.0863, time 561.94ms, mfu 30.01%", "step=1631 loss=4.0863 throughput=561.94 throughput_unit=ms/it"),
                // progress that Lightning and schedulers print between the bars
                Arguments.of("Epoch 4, global step 6250: 'val_f1' reached 0.91140 (best 0.91140), saving model to '/data/ckpt/epoch=4.ckpt' as top 1",
                        "epoch=4 step=6250"),
                Arguments.of("Epoch 00005: reducing learning rate of group 0 to 1.0000e-04.", "epoch=5 lr=1e-04"),
                // terminal colours are removed first
                Arguments.of("\u001B[32mstep 7 loss 0.5\u001B[0m", "step=7 loss=0.5"));
    }

    @ParameterizedTest
    @MethodSource("progressLines")
    void readsEachFormat(String line, String expected) {
        Fields.assertProgress(expected, PARSER.parse(line), line);
        byte[] raw = line.getBytes(StandardCharsets.UTF_8);
        assertTrue(PARSER.mayMatch(raw, 0, raw.length), "the byte screen must pass a progress line: " + line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Traceback (most recent call last):",
            "    loss = torch.nn.functional.mse_loss(m(x), y)",
            "    tr_loss_step = self.training_step(model, inputs)",
            "    epoch=epoch, step=self.steps)",
            "Gradient overflow. Skipping step, loss scaler 0 reducing loss scale to 8.165126103939127e-202",
            "[2021-06-08 12:02:47,123] [INFO] [stage3.py:2323:_overflow_clean_up] [deepscale] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 8388608.0, reducing to 4194304.0",
            "| WARNING: overflow detected, setting loss scale to: 0.0625",
            "OverflowError: cannot convert float infinity to integer at step 5 loss nan",
            "FloatingPointError: Minimum loss scale reached (0.0001). Your loss is probably exploding.",
            "/usr/lib/python3/torch/optim/lr_scheduler.py:143: UserWarning: The epoch parameter in `scheduler.step()` was not necessary; epoch 3 loss 0.5",
            "UserWarning: Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order",
            "`Trainer.fit` stopped: `max_epochs=3` reached.",
            "the step function has a loss of precision",
            "Namespace(batchSize=1, lr=0.0001, nEpochs=2000, patch_size=32, loss='mse')",
            "Loading checkpoint shards:  14%|███████        | 1/7 [00:13<01:22, 13.68s/it]",
            "Downloading: 100%|██████████| 570/570 [00:00<00:00, 285kB/s]",
            "model.safetensors:    9%|██                            | 9/100 [00:32<?, ?MB/s]",
            "Map (num_proc=8):  40%|████      | 4000/10000 [00:02<00:03, 1904.31 examples/s]",
            "Validation DataLoader 0:  50%|█████     | 5/10 [00:00<00:00, 50.0it/s]",
            "train: Scanning /data/labels/train.cache... 3120 images, 0 backgrounds, 0 corrupt: 100%|██████████| 3120/3120 [00:00<?, ?it/s]",
            "                 Class     Images  Instances          P          R      mAP50   mAP50-95: 100%|██████████| 32/32 [00:08<00:00,  3.31it/s]",
            "2023-03-09 02:31:40 | INFO | valid | epoch 001 | valid on 'valid' subset | loss 5.102 | nll_loss 3.9 | num_updates 8782",
            "Epoch 3 of the schedule starts after warm-up",
            "Saving model checkpoint to /out/checkpoint-500",
            ""})
    void linesThatOnlyLookLikeProgressGiveNone(String line) {
        assertNull(PARSER.parse(line), line);
    }

    @Test
    void mostLinesAreRejectedByTheByteScreenWithoutDecoding() {
        for (String line : new String[] {"NCCL INFO Connected all rings", "batch shapes: torch.Size([32, 2048])",
                "Saving model checkpoint to /out/checkpoint-500"}) {
            byte[] raw = line.getBytes(StandardCharsets.UTF_8);
            assertFalse(PARSER.mayMatch(raw, 0, raw.length), line);
        }
    }

    @Test
    void aCatalogWithoutAProgressSectionReadsNothing() {
        assertNull(ProgressParser.none().parse("step 1 loss 0.5"));
        assertEquals(0, ProgressParser.none().patterns().size());
    }

    @Test
    void theShippedPatternsAreAllScreenedAndNeverGiveUpOnThisTable() {
        assertTrue(PARSER.unanchored().isEmpty(), "every shipped pattern has an ASCII anchor: " + PARSER.unanchored());
        progressLines().forEach(a -> PARSER.parse((String) a.get()[0]));
        assertEquals(java.util.List.of(), PARSER.takeGaveUpWarnings());
    }
}
