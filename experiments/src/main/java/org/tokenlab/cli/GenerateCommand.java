package org.tokenlab.cli;

import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.theory.tokenize.Tokenizer;
import org.tokenlab.transformer.generate.Generation;
import org.tokenlab.transformer.generate.Generator;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.sample.ColdStop;
import org.tokenlab.transformer.sample.ConceptSampler;
import org.tokenlab.transformer.sample.Sampler;
import org.tokenlab.transformer.sample.TokenBan;
import org.tokenlab.transformer.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tokenlab generate}: continues a prompt with greedy, sampled or soft-thinking decoding. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Continue a prompt from a checkpoint with greedy, sampled or soft-thinking decoding, in the "
                + "checkpoint run's tokenizer (bytes or BPE).")
final class GenerateCommand implements Callable<Integer> {
    enum Decode { greedy, sample, soft }

    @Option(names = "--checkpoint", required = true, description = "model.safetensors, or a checkpoint folder.")
    Path checkpoint;

    @Option(names = "--prompt", required = true, description = "Prompt text (UTF-8).")
    String prompt;

    @Option(names = "--tokenizer", description = "bytes, or a BPE vocabulary file (default: the tokenizer of the "
            + "checkpoint's run folder, else bytes).")
    String tokenizer;

    @Option(names = "--decode", defaultValue = "greedy", description = "greedy, sample or soft (default ${DEFAULT-VALUE}).")
    Decode decode;

    @Option(names = "--max-tokens", defaultValue = "200", description = "Tokens to generate (default ${DEFAULT-VALUE}); soft: at most this many thinking and "
            + "this many answer tokens, within the block.")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling / concept temperature.")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Top-k (0: off).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Top-p (1: off).")
    double topP;

    @Option(names = "--min-p", defaultValue = "0", description = "Min-p (0: off).")
    double minP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed.")
    long seed;

    @Option(names = "--think-end", description = "soft: the end-of-thinking token id (default: byte of '\\n').")
    Integer thinkEnd;

    @Option(names = "--max-topk", defaultValue = "10", description = "soft: tokens kept in each concept.")
    int maxTopk;

    @Option(names = "--cold-stop-tau", description = "soft: Cold Stop entropy threshold (nats); off when absent.")
    Double coldStopTau;

    @Option(names = "--cold-stop-patience", defaultValue = "256", description = "soft: Cold Stop patience L.")
    int coldStopPatience;

    @Option(names = "--stop", description = "Stop after this token id.")
    Integer stop;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        runtime.apply();
        Gpt model = Checkpoint.loadModel(ScoreCommand.modelFile(checkpoint));
        Tokenizer tok = ScoreCommand.cliTokenizer(tokenizer, checkpoint);
        int[] ids = tok.encode(prompt.getBytes(StandardCharsets.UTF_8));
        RandomStream rng = RandomStream.root(seed).child("generate");
        Generator gen = new Generator(model, 0);
        int stopToken = stop == null ? -1 : stop;
        Generation g = switch (decode) {
            case greedy -> gen.generate(ids, maxTokens, Sampler.greedy(), TokenBan.NONE, null, stopToken);
            case sample -> gen.generate(ids, maxTokens, Sampler.of(temperature, topK, topP, minP), TokenBan.NONE, rng, stopToken);
            case soft -> {
                int end = thinkEnd == null ? '\n' : thinkEnd;
                int budget = model.config().maxTokens() - ids.length - 1;
                int think = Math.max(1, Math.min(maxTokens, budget / 2));
                yield gen.softThink(ids, new ConceptSampler(temperature, topK, topP, minP, maxTopk),
                        coldStopTau == null ? null : new ColdStop(coldStopTau, coldStopPatience), end, think,
                        Sampler.of(temperature, topK, topP, 0), Math.max(1, Math.min(maxTokens, budget - think)), rng,
                        stopToken);
            }
        };
        System.out.println(prompt + new String(tok.decode(g.tokens()), StandardCharsets.UTF_8));
        System.err.printf("[%d tokens, mean entropy %.4f nats%s]%n", g.tokens().length, g.meanEntropy(),
                decode == Decode.soft ? ", thinking steps " + g.thinkingSteps() + (g.coldStopped() ? ", cold-stopped" : "") : "");
        return 0;
    }
}
