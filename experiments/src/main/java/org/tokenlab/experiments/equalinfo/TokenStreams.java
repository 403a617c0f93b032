package org.tokenlab.experiments.equalinfo;

import java.util.ArrayList;
import java.util.List;
import org.tokenlab.theory.coding.BitBuffer;
import org.tokenlab.theory.coding.BitTokens;
import org.tokenlab.theory.coding.DeflateBaseline;
import org.tokenlab.theory.coding.EqualInfoWindows;
import org.tokenlab.theory.tokenize.Tokenizer;

/**
 * The M2 training data of each method (papers.md §3.3): text cut into 4 096-byte chunks, each chunk
 * coded on its own, its bits cut into 8-bit tokens (the last token of a chunk zero-padded), and the
 * chunks' tokens concatenated. EqualInfoAC[W] chunks hold whole windows, so W/8 tokens make one window
 * and the stream position mod W/8 is the position inside the window.
 */
final class TokenStreams {
    private TokenStreams() {
    }

    /** A method's token stream: V symbols, and (for equal-info) the tokens per window. */
    record Stream(String method, int vocab, int period, int[] tokens, long bytes) {
        double tokensPerByte() {
            return (double) tokens.length / bytes;
        }
    }

    static Stream bytes(List<byte[]> chunks) {
        return of("Bytes", 256, 1, chunks, c -> BitBuffer.of(c, 8L * c.length));
    }

    static Stream ac(String name, M1Coder model, List<byte[]> chunks) {
        return of(name, 256, 1, chunks, model.ac(Compression.symbols(chunks)).codes());
    }

    static Stream equalInfo(M1Coder model, int windowBits, List<byte[]> chunks) {
        List<BitBuffer> codes = model.equalInfo(Compression.symbols(chunks), windowBits).stream()
                .map(EqualInfoWindows.Encoded::bits).toList();
        return of("EqualInfoAC[" + windowBits + "]", 256, windowBits / 8, chunks, codes);
    }

    static Stream gzip(List<byte[]> chunks) {
        return of("GZip", 256, 1, chunks, c -> {
            byte[] z = DeflateBaseline.compress(c);
            return BitBuffer.of(z, 8L * z.length);
        });
    }

    /** A subword tokenizer's ids (no chunking needed: the text is tokenized whole). */
    static Stream tokenizer(String name, Tokenizer tok, int vocab, byte[] text) {
        return new Stream(name, vocab, 1, tok.encode(text), text.length);
    }

    private static Stream of(String name, int vocab, int period, List<byte[]> chunks,
                             java.util.function.Function<byte[], BitBuffer> code) {
        return of(name, vocab, period, chunks, chunks.stream().map(code).toList());
    }

    /** Each chunk's code (in order) cut into 8-bit tokens, concatenated. */
    private static Stream of(String name, int vocab, int period, List<byte[]> chunks, List<BitBuffer> codes) {
        List<int[]> parts = new ArrayList<>();
        long bytes = 0;
        int n = 0;
        for (int i = 0; i < chunks.size(); i++) {
            int[] t = BitTokens.toTokens(codes.get(i), 8);
            parts.add(t);
            n += t.length;
            bytes += chunks.get(i).length;
        }
        int[] all = new int[n];
        int at = 0;
        for (int[] t : parts) {
            System.arraycopy(t, 0, all, at, t.length);
            at += t.length;
        }
        return new Stream(name, vocab, period, all, bytes);
    }

    /** Add-½ unigram over tokens fitted on {@code train}, its loss (nats/token) on {@code valid}. */
    static double unigramLoss(int[] train, int[] valid, int vocab) {
        double[] counts = new double[vocab];
        for (int t : train) {
            counts[t]++;
        }
        double total = train.length + 0.5 * vocab;
        double loss = 0;
        for (int t : valid) {
            loss -= Math.log((counts[t] + 0.5) / total);
        }
        return loss / valid.length;
    }
}
