package org.tokenlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeJson;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.Pretokenizer;
import org.tokenlab.transformer.train.TokenData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenlab bpe}: learns a byte-level BPE vocabulary from a data file, for {@code train}'s tokenizer section. */
@Command(name = "bpe", mixinStandardHelpOptions = true,
        description = "Learn a byte-level BPE vocabulary (256 byte ids + merges) from a data file and write it as JSON "
                + "for a training configuration's {\"tokenizer\": {\"kind\": \"bpe\", \"vocab\": FILE}}.")
final class BpeCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Text to learn the merges from.")
    Path data;

    @Option(names = "--vocab-size", required = true, description = "Vocabulary size V (> 256).")
    int vocabSize;

    @Option(names = "--out", required = true, description = "Vocabulary file to write (JSON).")
    Path out;

    @Option(names = "--pretokenizer", defaultValue = "whitespace",
            description = "whitespace (merges never cross a space/word boundary) or none (default ${DEFAULT-VALUE}).")
    String pretokenizer;

    @Override
    public Integer call() {
        if (vocabSize <= 256) {
            throw new IllegalArgumentException("--vocab-size must be > 256 (the byte ids), got " + vocabSize);
        }
        Pretokenizer pre = Pretokenizer.byId(pretokenizer.toLowerCase(Locale.ROOT));
        if (pre == null) {
            throw new IllegalArgumentException("--pretokenizer must be whitespace or none, got " + pretokenizer);
        }
        byte[] bytes = TokenData.bytes(data);
        BpeTokenizer bpe = BpeTrainer.trainToVocab(bytes, vocabSize, Alphabet.allBytes(), pre);
        try {
            BpeJson.save(bpe, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        int tokens = bpe.encode(bytes).length;
        System.out.printf(Locale.ROOT, "%s: V = %d (%d merges), %.3f bytes/token on %s -> %s%n", bpe.name(),
                bpe.vocabSize(), bpe.mergeCount(), (double) bytes.length / tokens, data, out);
        return 0;
    }
}
