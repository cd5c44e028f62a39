package dev.medic.discover;

import java.util.Map;

/**
 * The transformers TrainingArguments flags the fixes use, with their defaults: a script that
 * parses TrainingArguments with HfArgumentParser accepts each as {@code --NAME}.
 */
final class TrainingArguments {
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("--per_device_train_batch_size", "8"),
            Map.entry("--per_device_eval_batch_size", "8"),
            Map.entry("--gradient_accumulation_steps", "1"),
            Map.entry("--learning_rate", "5e-5"),
            Map.entry("--max_grad_norm", "1.0"),
            Map.entry("--weight_decay", "0.0"),
            Map.entry("--num_train_epochs", "3.0"),
            Map.entry("--max_steps", "-1"),
            Map.entry("--warmup_steps", "0"),
            Map.entry("--dataloader_num_workers", "0"),
            Map.entry("--seed", "42"),
            Map.entry("--logging_steps", "500"),
            Map.entry("--save_steps", "500"),
            Map.entry("--fp16", "False"),
            Map.entry("--bf16", "False"),
            Map.entry("--output_dir", "None"),
            Map.entry("--resume_from_checkpoint", "None"));

    private TrainingArguments() {
    }
}
